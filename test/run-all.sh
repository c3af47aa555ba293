#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
npx vitest run --project core test/unit/catalogue test/unit/views-docker test/unit/process
