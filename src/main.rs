//! The `galley` binary: `galley check` and `galley lsp`, thin fronts over the library. Logs go
//! to stderr (filter from `GALLEY_LOG`), since stdout carries findings or, for the language
//! server, the protocol.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "galley",
    version,
    about = "Editorial review of article drafts: duplicated paragraphs, missing or invalid metadata"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts and report what needs fixing (exit 0: clean, 1: findings, 2: errors).
    Check(galley::cli::CheckArgs),
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Accepted and ignored: stdio is the only transport, but many clients pass the flag.
        #[arg(long)]
        stdio: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check(args) => {
            init_logging();
            ExitCode::from(galley::cli::run(&args).code())
        }
        // The server installs its own logger, whose level follows the client's trace setting.
        Command::Lsp { .. } => match galley::lsp::run_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("galley lsp: {err:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn init_logging() {
    let filter =
        EnvFilter::try_from_env(galley::lsp::LOG_ENV).unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(filter)
        .init();
}
