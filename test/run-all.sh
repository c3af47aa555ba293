#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
npx tsc -p src/tsconfig.json --noEmit
npx tsc -p tsconfig.json --noEmit
npx eslint src
npx vitest run --project core
