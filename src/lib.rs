//! Galley: editorial review of article drafts.
//!
//! The analysis core ([`draft`], [`rules`], [`similarity`], [`fix`], [`analysis`]) takes text
//! and a [`config::Config`] and returns plain [`finding::Finding`]s with byte ranges. Two thin
//! front ends sit on it: [`cli`] (`galley check`) and [`lsp`] (`galley lsp`). Only [`position`]
//! converts byte offsets to lines and columns.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod draft;
pub mod finding;
pub mod fix;
pub mod lsp;
pub mod position;
pub mod rules;
pub mod similarity;
pub mod workspace;
