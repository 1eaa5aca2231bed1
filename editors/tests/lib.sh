# Shared by the per-editor test scripts (sourced, not run): where things are, the galley
# binary under test, and a fresh temp folder with the fixture drafts and private XDG dirs so
# that no editor reads or writes the user's own configuration.

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors_dir="$(dirname "$tests_dir")"
repo_dir="$(dirname "$editors_dir")"
fixtures_dir="$tests_dir/fixtures"
cache="${GALLEY_EDITOR_CACHE:-$HOME/.cache/galley-editor-tests}"

remove_work_dir() {
    if [[ ${GALLEY_KEEP_WORK:-} == 1 ]]; then
        printf '%s: kept %s\n' "${test_name:-test}" "$work" >&2
    else
        rm -rf "$work"
    fi
}

fail() {
    printf '%s: FAILED: %s\n' "${test_name:-test}" "$*" >&2
    exit 1
}

# The binary under test, as an absolute path (relative paths are from the repository root).
galley_bin() {
    local bin="${GALLEY_BIN:-target/debug/galley}"
    [[ $bin == /* ]] || bin="$repo_dir/$bin"
    [[ -x $bin ]] || fail "no galley binary at $bin (build it with 'cargo build' or set GALLEY_BIN)"
    printf '%s\n' "$bin"
}

# Creates $work with copies of the fixtures (editors save fixed files, so each run starts
# clean) and points HOME-independent XDG dirs into it. Removed on exit, unless
# GALLEY_KEEP_WORK=1 (to read the editors' logs after a failure).
make_work_dir() {
    work="$(mktemp -d "${TMPDIR:-/tmp}/galley-${test_name:-editor}.XXXXXX")"
    trap remove_work_dir EXIT
    mkdir -p "$work/drafts" "$work/xdg/config" "$work/xdg/data" "$work/xdg/state" "$work/xdg/cache"
    cp "$fixtures_dir"/*.txt "$fixtures_dir"/*.md "$fixtures_dir"/galley.toml "$work/drafts/"
    export XDG_CONFIG_HOME="$work/xdg/config" XDG_DATA_HOME="$work/xdg/data"
    export XDG_STATE_HOME="$work/xdg/state" XDG_CACHE_HOME="$work/xdg/cache"
}
