//! `galley check`: the terminal front end over the analysis core. It finds the drafts under the
//! paths it is given, analyses them in parallel, optionally applies safe fixes, looks every
//! draft up in a workspace index of all of them (cross-draft duplicates), and renders the
//! findings for people (rustc/ruff style) or for programs (one JSON document).

mod args;
mod check;
mod files;
mod fix;
mod render_human;
mod render_json;
mod report;

pub use args::{CheckArgs, OutputFormat};
pub use check::{Status, check, run};
pub use report::{CheckedFile, Counts, Failure, Outcome, Place};
