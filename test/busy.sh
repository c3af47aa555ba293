#!/usr/bin/env bash
# The whole test command under load (issue 19): four busy loops keep a two-core machine at a load
# of about 4 while `npm test` runs, so a verdict that depends on the machine's speed shows up.
# The loops are ended by their own pids whatever the outcome; the time taken is printed.
# Usage: npm run test:busy [-- LOOPS]   (LOOPS defaults to 4)
set -uo pipefail
cd "$(dirname "$0")/.."

loops="${1:-4}"
pids=()
stop_loops() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  pids=()
}
trap stop_loops EXIT
trap 'exit 130' INT TERM

for _ in $(seq "$loops"); do
  # A shell loop that never sleeps: one runnable process each, as a busy neighbour would be.
  bash -c 'while :; do :; done' &
  pids+=("$!")
done
echo "test:busy: ${loops} busy loops (pids ${pids[*]}), load $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s)
npm test
status=$?
end=$(date +%s)

echo "test:busy: npm test exited ${status} after $((end - start)) s under ${loops} busy loops (load $(cut -d' ' -f1-3 /proc/loadavg))"
exit "$status"
