#!/usr/bin/env bash
# Puts a Node.js that the tests can use on the PATH of the calling shell: source it (.ci/run does).
#   source infra/pipeline/install-node.sh
#
# The tests need Node.js 20 or newer: @vercel/cosmosdb-server 1.0.1, the Cosmos DB stand-in (tools/cosmos-emulator),
# declares "engines": {"node": ">=20"} in its package.json, and so do tools/cosmos-emulator and infra/validate. Debian
# bookworm's nodejs package is 18. So: the node on the PATH when it is 20 or newer and has npm beside it; otherwise the
# pinned NODE_VERSION (20.18.1) for linux-x64 from NODE_DIST_URL (nodejs.org), its sha256 checked against that
# release's SHASUMS256.txt (this catches a broken download; both files come from the same server), unpacked into
# NODE_CACHE_DIR, which the pipeline caches, so later runs download nothing.
#
# Sourced under `set -euo pipefail`: it returns non-zero on failure (the caller stops) and never exits the caller.
NODE_VERSION="${NODE_VERSION:-20.18.1}"
NODE_DIST_URL="${NODE_DIST_URL:-https://nodejs.org/dist}"
NODE_CACHE_DIR="${NODE_CACHE_DIR:-$HOME/.cache/alert-relay/node}"

alertrelay_node_major() {
  local v
  v="$(node --version 2>/dev/null)" || return 1
  v="${v#v}"
  printf '%s\n' "${v%%.*}"
}

alertrelay_install_node() {
  local major dist tmp expected actual
  major="$(alertrelay_node_major || true)"
  if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 20)) && command -v npm >/dev/null 2>&1; then
    echo "node $(node --version) (with npm) is recent enough"
    return 0
  fi
  case "$(uname -m)" in
    x86_64 | amd64) ;;
    *)
      echo "install-node: Node.js ${major:-none} here, 20+ needed, and only linux-x64 is pinned; install Node.js 20+ yourself" >&2
      return 1
      ;;
  esac
  dist="node-v${NODE_VERSION}-linux-x64"
  if [[ ! -x "$NODE_CACHE_DIR/$dist/bin/node" ]]; then
    echo "node ${major:-absent} is not 20+ with npm: installing Node.js $NODE_VERSION into $NODE_CACHE_DIR"
    tmp="$(mktemp -d)"
    if ! curl -fsSL --retry 3 -o "$tmp/$dist.tar.gz" "$NODE_DIST_URL/v$NODE_VERSION/$dist.tar.gz" \
      || ! curl -fsSL --retry 3 -o "$tmp/SHASUMS256.txt" "$NODE_DIST_URL/v$NODE_VERSION/SHASUMS256.txt"; then
      echo "install-node: cannot download Node.js $NODE_VERSION from $NODE_DIST_URL" >&2
      rm -rf "$tmp"
      return 1
    fi
    expected="$(awk -v f="$dist.tar.gz" '$2 == f { print $1 }' "$tmp/SHASUMS256.txt")"
    actual="$(sha256sum "$tmp/$dist.tar.gz")"
    actual="${actual%% *}"
    if [[ -z "$expected" || "$expected" != "$actual" ]]; then
      echo "install-node: $dist.tar.gz has sha256 $actual, SHASUMS256.txt says ${expected:-nothing}: not installed" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$NODE_CACHE_DIR"
    if ! tar -xzf "$tmp/$dist.tar.gz" -C "$NODE_CACHE_DIR"; then
      echo "install-node: cannot unpack $dist.tar.gz into $NODE_CACHE_DIR" >&2
      rm -rf "$tmp" "${NODE_CACHE_DIR:?}/$dist"
      return 1
    fi
    rm -rf "$tmp"
  fi
  export PATH="$NODE_CACHE_DIR/$dist/bin:$PATH"
  hash -r
  echo "node $(node --version) from $NODE_CACHE_DIR/$dist"
}

alertrelay_install_node
