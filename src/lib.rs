//! Galley: editorial review of article drafts.
//!
//! The analysis core ([`draft`], [`rules`], [`fix`], [`analysis`]) takes text and a
//! [`config::Config`] and returns plain [`finding::Finding`]s with byte ranges. Two thin front
//! ends sit on it: [`cli`] (`galley check`) and [`lsp`] (`galley lsp`). Only [`position`]
//! converts byte offsets to lines and columns.

pub mod config;
pub mod draft;
pub mod finding;
pub mod position;
