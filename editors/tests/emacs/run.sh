#!/usr/bin/env bash
# Emacs end-to-end test: batch Emacs with Debian's Eglot and editors/emacs/galley.el.
set -euo pipefail
test_name=emacs
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

elpa=/usr/share/emacs/site-lisp/elpa
command -v emacs >/dev/null || fail "Emacs is not installed: run editors/tests/setup.sh"
compgen -G "$elpa/eglot-*" >/dev/null || fail "Eglot is not installed: run editors/tests/setup.sh"
compgen -G "$elpa/markdown-mode-*" >/dev/null || fail "markdown-mode is not installed: run editors/tests/setup.sh"
bin="$(galley_bin)"
make_work_dir

cd "$work/drafts"
HOME="$work" LANG=C.UTF-8 GALLEY_BIN="$bin" GALLEY_PLUGIN="$editors_dir/emacs" \
    GALLEY_WORK="$work/drafts" GALLEY_FIXTURES="$fixtures_dir" \
    timeout 60 emacs --batch -Q -l "$tests_dir/emacs/test.el" ||
    fail "see the messages above"
