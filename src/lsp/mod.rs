//! `galley lsp`: the language server. The only part of Galley that knows about LSP.
//!
//! Layout: [`framing`] guards the byte stream, [`server`] holds the thin handlers, [`session`]
//! the shared state, [`documents`] the ropes, [`newsroom`] the workspace index and
//! [`indexing`] what keeps it current, [`convert`] every LSP conversion, and one module per
//! feature ([`diagnostics`], [`workspace_diagnostics`], [`code_actions`], [`hover`],
//! [`symbols`], [`settings`]).
#![deny(clippy::print_stdout)]

mod code_actions;
mod convert;
mod diagnostics;
mod documents;
mod framing;
mod hover;
mod indexing;
mod logging;
mod newsroom;
mod server;
mod session;
mod settings;
mod symbols;
mod workspace_diagnostics;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::anyhow;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;

pub use logging::LOG_ENV;
pub use server::{Backend, service};
use session::Control;

/// Buffer between the framing guard and the service, each way: large enough that a
/// multi-megabyte `didOpen` crosses in a few hand-offs (it is only allocated as it fills).
const PIPE_BYTES: usize = 1 << 20;
/// How often the client's process is checked for.
const CLIENT_POLL: Duration = Duration::from_secs(1);

/// Runs the server on stdin/stdout until `exit` (or until the client goes away). Blocking: it
/// builds its own tokio runtime. `Ok` only after a clean `shutdown` + `exit`.
pub fn run_stdio() -> anyhow::Result<()> {
    logging::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // A read of stdin is parked on a blocking thread that cannot be interrupted: do not wait.
    runtime.shutdown_background();
    outcome
}

/// Serves one client over a pair of byte streams (stdio, or an in-memory pipe in tests).
pub async fn serve<I, O>(input: I, output: O) -> anyhow::Result<()>
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (service, socket) = service();
    let control = service.inner().control();
    let (to_service, service_input) = tokio::io::duplex(PIPE_BYTES);
    let (service_output, from_service) = tokio::io::duplex(PIPE_BYTES);
    let (frames_tx, frames_rx) = mpsc::channel(64);
    let guard = tokio::spawn(framing::guard(input, to_service, frames_tx.clone()));
    let relay = tokio::spawn(framing::relay(from_service, frames_tx));
    let writer = tokio::spawn(framing::write_frames(frames_rx, output));

    let server =
        tower_lsp_server::Server::new(service_input, service_output, socket).serve(service);
    let client_gone = tokio::select! {
        () = server => None,
        pid = watch_client(control.clone()) => Some(pid),
    };
    // The service has stopped (or was dropped): its output ends, the relay drains it, and the
    // writer ends once the guard, still waiting on the client, lets go of its sender.
    guard.abort();
    let _ = relay.await;
    let _ = writer.await;
    outcome(&control, client_gone)
}

fn outcome(control: &Arc<Control>, client_gone: Option<u32>) -> anyhow::Result<()> {
    if let Some(pid) = client_gone {
        return Err(anyhow!("the client process {pid} is gone; stopping"));
    }
    if control.shutdown.load(Ordering::Relaxed) {
        Ok(())
    } else {
        Err(anyhow!(
            "the client disconnected without a shutdown request"
        ))
    }
}

/// Resolves when the client's process (named in `initialize`) no longer exists.
async fn watch_client(control: Arc<Control>) -> u32 {
    loop {
        tokio::time::sleep(CLIENT_POLL).await;
        let pid = control.client_pid.load(Ordering::Relaxed);
        if pid != 0 && !process_alive(pid) {
            tracing::warn!("the client process {pid} is gone");
            return pid;
        }
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    std::path::Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(all(unix, not(target_os = "linux")))]
fn process_alive(pid: u32) -> bool {
    // `kill -0` checks for the process without signalling it.
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map(|status| status.success())
        .unwrap_or(true)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}
