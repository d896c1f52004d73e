#!/usr/bin/env bash
# Browser tests: Debian's Chromium and the pinned npm packages (playwright-core drives the
# system Chromium; it downloads no browser of its own). Called by .ci/run after apt-get update.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null; then
  apt-get install -y -qq chromium
fi
if ! command -v npm >/dev/null; then
  apt-get install -y -qq nodejs npm
fi
# playwright-core 1.65 needs Node.js 20 or newer (Debian 12's own nodejs is 18).
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $(node -v) is too old for playwright-core (needs >= 20): install Node.js 20" >&2
  exit 1
fi
npm ci --no-audit --no-fund
