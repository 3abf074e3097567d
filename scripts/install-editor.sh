#!/usr/bin/env bash
# Installs what the real-editor tests and `npm run studio` need: Debian chromium (driven by playwright-core),
# and code-server (VS Code in a browser) in .tools/code-server, outside the project's own dependencies.
# Idempotent: a second run only checks a stamp and the Debian packages and exits within a second.
#
# Environment:
#   CODE_SERVER_VERSION  default 4.99.4 (newer ones need Node 22+)
#   BIOM_TOOLS_DIR       default <repo>/.tools
#   TMPDIR               where @vscode/ripgrep looks for its cached download (default /tmp)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${CODE_SERVER_VERSION:-4.99.4}"
TOOLS="${BIOM_TOOLS_DIR:-$ROOT/.tools}"
CS_DIR="$TOOLS/code-server"
STAMP="$CS_DIR/.installed-$VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"

log() { printf '[install-editor] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1
  fi
}

# --- Debian packages: chromium (browser), libkrb5-dev (code-server's native kerberos module), ripgrep ---
missing=()
for pkg in chromium libkrb5-dev ripgrep; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- code-server, quick path ---
if [ -f "$STAMP" ] && [ -x "$CS_BIN" ]; then
  log "code-server $VERSION already installed in $CS_DIR"
  exit 0
fi

# --- @vscode/ripgrep downloads rg from GitHub in its postinstall, unreachable here. It first looks for a cached
# asset at $TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<rg version>-<target>.tar.gz and untars it
# (expecting `rg` at the top level), so we put Debian's rg there. ---
RG="$(command -v rg)"
CACHE_ROOT="${TMPDIR:-/tmp}"
RG_PACKAGE_VERSIONS="${RIPGREP_PACKAGE_VERSIONS:-1.15.11}"
RG_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$RG" "$stage/rg"
chmod 755 "$stage/rg"
for v in $RG_PACKAGE_VERSIONS; do
  cache="$CACHE_ROOT/vscode-ripgrep-cache-$v"
  mkdir -p "$cache"
  tar -czf "$cache/$RG_ASSET" -C "$stage" rg
done

# --- code-server from npm, in its own folder ---
mkdir -p "$CS_DIR"
if [ ! -f "$CS_DIR/package.json" ]; then
  printf '{\n  "name": "biom-editor-tools",\n  "private": true,\n  "description": "code-server for the BioM real-editor tests; installed by scripts/install-editor.sh"\n}\n' \
    >"$CS_DIR/package.json"
fi
log "npm install code-server@$VERSION into $CS_DIR (takes a few minutes)"
start=$(date +%s)
(
  cd "$CS_DIR"
  # unsafe_perm: postinstall scripts run as root; yes: its node-pty step runs `npx node-gyp` without a prompt.
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_update_notifier=false \
    npm install --no-audit --no-fund --save-exact "code-server@$VERSION"
)
if [ ! -x "$CS_BIN" ]; then
  log "code-server binary missing after install: $CS_BIN"
  exit 1
fi
# ripgrep must be usable (search in the workbench); fall back to Debian's rg where a postinstall left none.
while IFS= read -r -d '' rgdir; do
  if [ ! -x "$rgdir/bin/rg" ]; then
    mkdir -p "$rgdir/bin" && cp "$RG" "$rgdir/bin/rg" && chmod 755 "$rgdir/bin/rg"
    log "placed Debian rg in $rgdir/bin"
  fi
done < <(find "$CS_DIR/node_modules" -type d -path '*/@vscode/ripgrep' -print0 2>/dev/null)

# --config: without it code-server writes a default config (with a password) into ~/.config.
"$CS_BIN" --config "$stage/config.yaml" --version >&2
rm -f "$CS_DIR"/.installed-*
touch "$STAMP"
log "code-server $VERSION installed in $(($(date +%s) - start)) s"
