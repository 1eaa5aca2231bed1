//! The command-line options of `galley check`.

use std::path::PathBuf;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: severity[code] message` with the source line underlined.
    #[default]
    Human,
    /// One JSON document on stdout (schema in the README).
    Json,
}

/// Options of `galley check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check. Folders are walked (respecting .gitignore) and only draft
    /// files are taken; files named here are always checked. Default: the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Apply every safe fix in place, then report what remains.
    #[arg(long)]
    pub fix: bool,

    /// Print the safe fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,

    /// Use this galley.toml for every file instead of looking for the nearest one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}
