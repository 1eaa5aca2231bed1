//! Logs go to stderr (stdout is the protocol), filtered by `GALLEY_LOG` (an `EnvFilter`
//! directive such as `debug` or `galley=trace`) or, when that is unset, by the client's trace
//! setting (`initialize.trace`, `$/setTrace`).

use std::sync::OnceLock;

use tower_lsp_server::ls_types::TraceValue;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Registry, reload};

/// The environment variable that sets the log filter.
pub const LOG_ENV: &str = "GALLEY_LOG";
const DEFAULT_FILTER: &str = "warn,galley=info";

/// Set only when the level follows the client (no `GALLEY_LOG`).
static CLIENT_FILTER: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

/// Installs the stderr logger once per process; later calls do nothing.
pub(crate) fn init() {
    let from_env = std::env::var(LOG_ENV).ok().filter(|v| !v.trim().is_empty());
    let filter = match from_env.as_deref().map(EnvFilter::try_new) {
        Some(Ok(filter)) => filter,
        Some(Err(err)) => {
            eprintln!("galley: ignoring {LOG_ENV}: {err}");
            EnvFilter::new(DEFAULT_FILTER)
        }
        None => EnvFilter::new(DEFAULT_FILTER),
    };
    let (filter, handle) = reload::Layer::new(filter);
    let output = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    if tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .try_init()
        .is_ok()
        && from_env.is_none()
    {
        let _ = CLIENT_FILTER.set(handle);
    }
}

/// Follows the client's trace level: `off` keeps warnings, `messages` adds Galley's info,
/// `verbose` its debug output.
pub(crate) fn set_trace(value: TraceValue) {
    let Some(handle) = CLIENT_FILTER.get() else {
        return;
    };
    let directive = match value {
        TraceValue::Off => "warn",
        TraceValue::Messages => DEFAULT_FILTER,
        TraceValue::Verbose => "info,galley=debug",
    };
    if let Err(err) = handle.reload(EnvFilter::new(directive)) {
        tracing::warn!("cannot change the log level: {err}");
    }
}
