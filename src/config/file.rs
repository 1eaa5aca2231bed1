//! galley.toml: discovery and parsing (in progress).
