#!/usr/bin/env bash
# Node.js for the build's tests (the Cosmos DB stand-in, infra/validate) in the Maven image, which has none.
# Usage: source infra/pipeline/install-node.sh   (puts node and npm on the PATH of the calling step)
NODE_VERSION="${NODE_VERSION:-20.18.1}"
if ! command -v node >/dev/null 2>&1; then
  curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.gz" | tar -xz -C /opt
  export PATH="/opt/node-v${NODE_VERSION}-linux-x64/bin:$PATH"
fi
node --version
