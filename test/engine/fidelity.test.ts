// The recorded fixtures that check the simulation (test/fixtures/real-engine/, dockerd 20.10.24 +
// CLI 28.2.2 on this machine) check the engine too: each recorded command sequence real mode
// serves runs again with the same docker CLI against `dockstep engine`, and its `docker events`
// (type, action, attributes), stdout, stderr and exit status equal the recording's, ids, names and
// times normalised as the simulation's fidelity tests do. Where the engine differs on purpose it
// is Engine 29 (the engine's profile), and each such place says so. Sequences that need commands
// the engine does not serve yet are pending, naming the command.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { DOCKER, startEngine, type RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { replayCase, type Replayed, type ReplayOptions } from './helpers/fidelityRun.ts';
import { tempDir } from './helpers/tmp.ts';
import { execFileSync } from 'node:child_process';

const work = tempDir('fidelity');
let engine: RunningEngine;
let archive: string;
/** A bridge of this suite's own, so it never meets another engine's. */
const bridge = `dst${Math.random().toString(16).slice(2, 8)}`;
/** The recorded texts are CLI 28's; an older CLI words its own errors differently (i-client-cli28-vs-cli20.txt). */
const cli28 = /^Docker version 28\./.test(execFileSync(DOCKER, ['--version'], { encoding: 'utf8' }));

interface Case extends ReplayOptions {
  /** Indexes (in the picked list) whose stdout depends on time or sizes ("2 seconds ago"): not compared. */
  skipStdout?: number[];
  /** Indexes whose events come from parallel requests (docker rm a b c): compared as sets. */
  unordered?: number[];
  /** Compare the events of all steps as one sequence (a die racing the next command). */
  flat?: boolean;
  /** Make a recorded stderr comparable: where Engine 29 (the engine's profile) words it otherwise. */
  realStderr?: (text: string, index: number) => string;
}

/**
 * curl's answer, without the headers that name the daemon (Server, Api-Version: the engine is not
 * 20.10) or Node's connection headers: the status line and the body. (The recording dropped \r.)
 */
const curlAnswer = (text: string): string =>
  text.startsWith('HTTP/1.1 ')
    ? `${text.split(/\r?\n/)[0]}\n${text.slice(text.search(/\r?\n\r?\n/)).trimStart()}`
    : text;

function expectSame(real: Replayed[], ours: Replayed[], options: Case): void {
  const at = (i: number) => `$ ${real[i]?.line ?? ''}`;
  real.forEach((r, i) => {
    const o = ours[i];
    expect(o?.exitCode, `${at(i)} (exit code)`).toBe(r.exitCode);
    if (!cli28 && r.exitCode !== 0) return;
    const stderr = options.realStderr ? options.realStderr(r.stderr, i) : r.stderr;
    expect(o?.stderr, `${at(i)} (stderr)`).toBe(stderr);
    if (!options.skipStdout?.includes(i))
      expect(curlAnswer(o?.stdout ?? ''), `${at(i)} (stdout)`).toBe(curlAnswer(r.stdout));
  });
  const events = (side: Replayed[]) =>
    side.map((s, i) => (options.unordered?.includes(i) ? [...s.events].sort() : s.events));
  if (options.flat) expect(events(ours).flat(), 'docker events, in order').toEqual(events(real).flat());
  else
    events(real).forEach((e, i) => expect(events(ours)[i], `${at(i)} (docker events, in order)`).toEqual(e));
}

async function check(fixture: string, pick: (line: string, i: number) => boolean, options: Case = {}) {
  const { real, ours } = await replayCase(engine, fixture, pick, options);
  expect(ours.map((s) => s.line)).toEqual(real.map((s) => s.line));
  expectSame(real, ours, options);
  return { real, ours };
}

const docker = (line: string) => line.startsWith('docker ') || line.startsWith('curl ');

/** What each case leaves goes: its containers (and the image, when a case removed it). */
async function reset(): Promise<void> {
  const ids = (await engine.docker(['ps', '-aq'])).stdout.split('\n').filter((l) => l !== '');
  if (ids.length > 0) await engine.docker(['rm', '-f', ...ids]);
  if ((await engine.docker(['image', 'inspect', 'busybox'])).code !== 0)
    expect((await engine.docker(['load', '-i', archive])).code).toBe(0);
}

realSuite(
  'fidelity: the engine against the recorded dockerd 20.10',
  ['root', 'overlay', 'skopeo', 'busybox', 'docker', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      if (!cli28) console.log(`fidelity: ${DOCKER} is not CLI 28: its error texts are not compared`);
      archive = await fixtureBusyboxArchive(work.path);
      engine = await startEngine({ args: ['--bridge', bridge] });
      await reset();
    }, 180_000);
    afterEach(reset, 120_000);
    afterAll(async () => {
      await engine?.stop();
      work.remove();
    }, 120_000);

    describe('container lifecycle', () => {
      it('create, start, stop -t 1, start again, rm refused (409), rm -f (a-create-start-stop)', async () => {
        await check('a-create-start-stop.txt', docker);
      }, 180_000);

      it('stop with the default 10 s, --stop-signal HUP -t 2, rm of three (a2-stop-default-timeout)', async () => {
        await check('a2-stop-default-timeout.txt', docker, { skipStdout: [6], unordered: [7] });
      }, 180_000);

      it('pause, unpause, kill, kill -s HUP, restart, rm, rm -f (b-pause-unpause-kill-restart)', async () => {
        await check('b-pause-unpause-kill-restart.txt', docker);
      }, 180_000);

      it('run --rm, exit codes, a one-character name refused, a shell trapping TERM (c-run-rm-exit-code)', async () => {
        await check('c-run-rm-exit-code.txt', docker);
      }, 180_000);

      it('a shell trapping TERM: kill 15, die 0, no kill 9 (c2-run-trap-stop)', async () => {
        await check('c2-run-trap-stop.txt', docker);
      }, 180_000);

      it('commands runc cannot exec: 127, 126, created with the OCI error, no start, no die (d-run-bad-command)', async () => {
        // Engine 29 connects the network after Tasks.Create: a task never made has no connect, only
        // the sandbox's disconnect (fidelity-profile-v29.test.ts); `ps -a` ages depend on timing.
        await check('d-run-bad-command.txt', docker, { skipStdout: [12], unordered: [13] });
      }, 180_000);
    });
  },
);

/** The inspect fields dockerd showed (g-inspect-container-*.json), as paths with their JSON types. */
export function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return [`${path}: array`, ...value.slice(0, 1).flatMap((v) => shape(v, `${path}[]`))];
  if (value !== null && typeof value === 'object')
    return [`${path}: object`, ...Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`))];
  return [`${path}: ${value === null ? 'null' : typeof value}`];
}

export const recordedInspect = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/real-engine/${name}`, import.meta.url), 'utf8'));
