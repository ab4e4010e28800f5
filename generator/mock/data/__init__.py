"""Seed data builders for the mocks: the spec's examples, completed with deterministic synthetic rows."""
