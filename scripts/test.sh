#!/usr/bin/env bash
# The whole test suite: the Rust tests (rules, CLI, language server) and the end-to-end tests in
# real editors (Neovim, VS Code via code-server, Emacs). Editor installs are cached between runs
# (see editors/tests/setup.sh), so only the first run downloads them.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked --bins
cargo test --locked --all-targets

bash editors/tests/setup.sh
GALLEY_BIN="$PWD/target/debug/galley" bash editors/tests/run.sh
