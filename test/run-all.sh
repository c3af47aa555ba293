#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the browser suite: Chromium (driven by playwright-core, never a downloaded
# browser) and fonts for Chinese text and the participants' emoji. Installed when running as
# root and missing; elsewhere the browser suite says why it skips (and fails on CI).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
# Real-mode image suites (test/engine): a registry, skopeo to push to it, busybox-static for the
# test images, attr for the overlayfs xattrs (setfattr/getfattr).
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v setfattr >/dev/null 2>&1 || need+=(attr)
# The engine daemon suites drive it with the docker CLI (test/engine/daemon*.test.ts); the client
# suite (test/engine/client.test.ts) also runs a private dockerd.
{ command -v docker >/dev/null 2>&1 && [ -x /usr/sbin/dockerd ]; } || need+=(docker.io)
# The shim suites (test/engine/shim*.test.ts) drive containerd-shim-runc-v2 and runc directly.
[ -x /usr/bin/containerd-shim-runc-v2 ] || need+=(containerd)
[ -x /usr/sbin/runc ] || need+=(runc)
# The bridge network suites (test/engine/net*.test.ts): iproute2's ip, iptables.
[ -x /usr/sbin/ip ] || need+=(iproute2)
[ -x /usr/sbin/iptables ] || need+=(iptables)
# docker top runs ps on the host as dockerd does (test/engine/exec.test.ts).
command -v ps >/dev/null 2>&1 || need+=(procps)
if [ "${#need[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

npm install --no-audit --no-fund
npx tsc -p src/tsconfig.json --noEmit
npx tsc -p tsconfig.site.json --noEmit
npx tsc -p tsconfig.engine.json --noEmit
npx tsc -p tsconfig.json --noEmit
npx eslint src site engine bench test
# The repository's own formatting rule (.prettierrc): checked, so nothing drifts from it.
npx prettier --check . --log-level warn
npx vitest run --project core
npx vitest run --project engine
npx vitest run --project e2e
