"""Small helpers shared by targets: deterministic JSON, templates, naming."""
