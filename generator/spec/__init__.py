"""Loading specs: line-tracked parsing, `$ref` bundling, validation and the project's rules."""
