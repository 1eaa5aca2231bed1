#!/usr/bin/env bash
# Neovim end-to-end test: headless Neovim 0.11 with editors/nvim on the runtimepath.
set -euo pipefail
test_name=nvim
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

nvim="$cache/nvim-venv/bin/nvim"
[[ -x $nvim ]] || fail "Neovim is not installed at $nvim: run editors/tests/setup.sh"
bin="$(galley_bin)"
make_work_dir

# Installed as a user does with Neovim's own packages: pack/*/opt/galley, then :packadd galley.
mkdir -p "$work/site/pack/galley/opt"
ln -s "$editors_dir/nvim" "$work/site/pack/galley/opt/galley"

cd "$work/drafts"
GALLEY_BIN="$bin" GALLEY_PACK_SITE="$work/site" GALLEY_WORK="$work/drafts" \
    GALLEY_FIXTURES="$fixtures_dir" \
    timeout 60 "$nvim" --headless --clean -n -u "$tests_dir/nvim/test.lua" ||
    fail "see the messages above"
