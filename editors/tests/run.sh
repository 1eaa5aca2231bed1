#!/usr/bin/env bash
# Runs the end-to-end editor tests (Neovim, Emacs, VS Code) against a built galley binary.
# Every editor must be installed (editors/tests/setup.sh): a missing one fails, never skips.
#
#   GALLEY_BIN                the binary under test (default: target/debug/galley, from the
#                             repository root; build it first with `cargo build`)
#   GALLEY_EDITOR_CACHE       where setup.sh installed the editors
#                             (default: $HOME/.cache/galley-editor-tests)
#   GALLEY_VSCODE_SCREENSHOT  where the VS Code test writes its screenshot
#                             (default: target/editor-tests/vscode-diagnostics.png)
#   GALLEY_KEEP_WORK=1        keep each test's temp folder (editor logs) for a post-mortem
#
# Usage: editors/tests/run.sh [nvim] [emacs] [vscode]   (default: all three)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors=("$@")
((${#editors[@]} > 0)) || editors=(nvim emacs vscode)

passed=0
failed=0
summary=()
for editor in "${editors[@]}"; do
    if [[ ! -x $here/$editor/run.sh ]]; then
        printf 'editors: unknown editor test %q\n' "$editor" >&2
        failed=$((failed + 1))
        summary+=("$editor: unknown")
        continue
    fi
    printf '=== %s\n' "$editor"
    start=${EPOCHREALTIME/./}
    if "$here/$editor/run.sh"; then
        result=passed
        passed=$((passed + 1))
    else
        result=FAILED
        failed=$((failed + 1))
    fi
    elapsed=$(((${EPOCHREALTIME/./} - start) / 100000))
    seconds="$((elapsed / 10)).$((elapsed % 10))"
    printf '=== %s %s in %s s\n' "$editor" "$result" "$seconds"
    summary+=("$editor: $result in $seconds s")
done

printf '\n'
printf 'editors: %s\n' "${summary[@]}"
printf 'editors: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
