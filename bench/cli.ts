/**
 * How long a `dockstep` command takes before it does anything, against the yardsticks measured in
 * the same run: Node's own floor (`node -e ''`) and the docker CLI (`docker --version`). Each
 * command runs `--rounds` times (default 15), alternating with the yardsticks, through the
 * `dockstep` a user runs (bin/dockstep.mjs: the built command in dist/cli/, which `npm run
 * bench:cli` builds afresh first, as `npm install` does); medians in ms. Goals: `--version` and
 * `scenario --list` ≤ 2 × the Node floor.
 * Then, as root with docker.io, docker-registry and skopeo (bench/cli/memory.ts): the resident
 * memory of `dockstep engine` against a private dockerd and its containerd, idle after start and
 * after the same `--pulls` (default 5) pulls of ≈100 MB images; goals: the engine's ≤ theirs. With
 * the images pulled, `dockstep images` against `docker images` on the same engine: goal ≤ 3 ×.
 * `--no-memory` leaves that out; without root or the tools it says why and leaves it out.
 * Last line: {"nodeMs":…,"dockerMs":…,"versionMs":…,"versionRatio":…,"listMs":…,"listRatio":…,"simMs":…,
 * "memory":{"engineIdleMB":…,"dockerIdleMB":…,"engineAfterPullsMB":…,"dockerAfterPullsMB":…,…}}.
 *
 * Usage: npm run bench:cli [-- --rounds N] [--pulls N] [--no-memory]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measureMemory } from './cli/memory.ts';
import { median, timeOnce } from './cli/timing.ts';
import { countFlag } from './shared/numbers.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'dockstep.mjs');
const DOCKER = ['/usr/local/bin/docker', '/usr/bin/docker'].find((p) => existsSync(p));
const GOAL_RATIO = 2;

if (!existsSync(join(ROOT, 'dist', 'cli', 'dockstep.mjs')))
  throw new Error('no built command: run npm run build:cli first');
const cases: Record<string, [string, string[]]> = {
  node: [process.execPath, ['-e', '']],
  version: [process.execPath, [BIN, '--version']],
  list: [process.execPath, [BIN, 'scenario', '--list']],
  sim: [process.execPath, [BIN, 'sim', 'docker ps']],
};
if (DOCKER !== undefined) cases.docker = [DOCKER, ['--version']];
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const rounds = countFlag('--rounds', 15);
for (let r = 0; r < rounds; r++) {
  // Alternate the order, so no command always runs on a warmer machine than another.
  const names = Object.keys(cases);
  for (const name of r % 2 === 0 ? names : names.reverse()) {
    const [cmd, args] = cases[name] ?? ['', []];
    times[name]?.push(timeOnce(cmd, args));
  }
}
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
const ratio = (x: number | undefined): number => Math.round(((x ?? NaN) / (m.node ?? NaN)) * 100) / 100;
const result = {
  nodeMs: m.node,
  dockerMs: m.docker ?? null,
  versionMs: m.version,
  versionRatio: ratio(m.version),
  listMs: m.list,
  listRatio: ratio(m.list),
  simMs: m.sim,
  memory: process.argv.includes('--no-memory')
    ? { skipped: '--no-memory' }
    : await measureMemory(countFlag('--pulls', 5)),
};
for (const [name, v] of Object.entries(m)) console.log(`${name.padEnd(8)} ${String(v).padStart(7)} ms`);
console.log(
  `--version ${result.versionRatio} × node (goal ≤ ${GOAL_RATIO}) ${result.versionRatio <= GOAL_RATIO ? 'ok' : 'MISSED'}`,
);
console.log(
  `scenario --list ${result.listRatio} × node (goal ≤ ${GOAL_RATIO}) ${result.listRatio <= GOAL_RATIO ? 'ok' : 'MISSED'}`,
);
const mem = result.memory;
if ('skipped' in mem) console.log(`memory: not measured (${mem.skipped})`);
else {
  const verdict = (r: number): string => (r <= 1 ? 'ok' : 'MISSED');
  console.log(
    `memory idle: dockstep engine ${mem.engineIdleMB} MB (${mem.engineProcesses} process), dockerd + containerd ${mem.dockerIdleMB} MB (${mem.dockerdIdleMB} + ${mem.containerdIdleMB}): ${mem.engineIdleRatio} × (goal ≤ 1) ${verdict(mem.engineIdleRatio)}`,
  );
  console.log(
    `memory after ${mem.pulls} pulls of ${mem.pullMB} MB: dockstep engine ${mem.engineAfterPullsMB} MB, dockerd + containerd ${mem.dockerAfterPullsMB} MB (${mem.dockerdAfterPullsMB} + ${mem.containerdAfterPullsMB}): ${mem.engineAfterPullsRatio} × (goal ≤ 1) ${verdict(mem.engineAfterPullsRatio)}`,
  );
  console.log(
    `dockstep images ${mem.imagesMs} ms, docker images ${mem.dockerImagesMs} ms, same engine: ${mem.imagesRatio} × (goal ≤ 3) ${mem.imagesRatio <= 3 ? 'ok' : 'MISSED'}`,
  );
}
console.log(JSON.stringify(result));
