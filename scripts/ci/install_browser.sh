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
npm ci --no-audit --no-fund
