// docker cp through a container's mounts, a bind source missing at create, and streamed stats,
// with the docker CLI against `dockstep engine`, as a private dockerd 20.10 answered the same
// commands (test/fixtures/real-engine/x-restore-cp-stats.txt parts 3 and 4,
// u-volumes-in-containers.txt): a copy into or out of a path under a volume or a bind is the
// volume's or the host directory's file (running, stopped or never started), a read-only mount
// point refuses it; a stats stream goes on a frame at a time until the client leaves, with the
// network figures of the container's veth.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import type { RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { mountsUnder } from './helpers/hostLeaks.ts';
import { runDetached } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';

const suite = suiteEngine('cp-stats', 'dsc');
const work = suite.work;
let engine: RunningEngine;
const hostDir = join(work.path, 'hostdir');

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
const volumeData = (name: string): string => join(engine.root, 'volumes', name, '_data');

/** The first `count` frames of a streamed stats answer, then the connection is closed. */
function statsFrames(name: string, count: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const frames: Record<string, unknown>[] = [];
    const req = http.request(
      { socketPath: engine.socket, method: 'GET', path: `/containers/${name}/stats` },
      (res) => {
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
            frames.push(JSON.parse(buffer.slice(0, at)) as Record<string, unknown>);
            buffer = buffer.slice(at + 1);
          }
          if (frames.length >= count) {
            req.destroy();
            resolve(frames.slice(0, count));
          }
        });
        res.on('end', () => resolve(frames));
      },
    );
    req.on('error', (error) => (frames.length >= count ? undefined : reject(error)));
    req.end();
  });
}

function cpCase(): void {
  it('docker cp into and out of a volume and a bind writes and reads the mount, not the rootfs under it', async () => {
    const vols = ['-v', 'lab:/data', '-v', `${hostDir}:/bind`, '-v', 'plain:/ro:ro'];
    const writeThenSleep = ['sh', '-c', 'echo one > /data/f; sleep 1000'];
    const u1 = await runDetached(engine, 'u1', 'busybox', writeThenSleep, ['--network', 'none', ...vols]);
    expect(u1.code, u1.stderr).toBe(0);
    const file = join(work.path, 'new');
    expect(await docker('cp', file, 'u1:/data/new')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(readdirSync(volumeData('lab')).sort()).toEqual(['f', 'new']);
    expect((await docker('cp', file, 'u1:/bind/new')).code).toBe(0);
    expect(readdirSync(hostDir).sort()).toEqual(['h', 'new']);
    expect((await docker('exec', 'u1', 'cat', '/data/new', '/bind/new')).stdout).toBe('new\nnew\n');
    const out = join(work.path, 'h-out');
    expect((await docker('cp', 'u1:/bind/h', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('onhost\n');
    expect((await docker('cp', 'u1:/data/f', join(work.path, 'f-out'))).code).toBe(0);
    expect(readFileSync(join(work.path, 'f-out'), 'utf8')).toBe('one\n');
    for (const dst of ['u1:/ro/new', 'u1:/ro'])
      expect(await docker('cp', file, dst)).toEqual({
        stdout: '',
        stderr: 'Error response from daemon: mounted volume is marked read-only\n',
        code: 1,
      });
    expect(readdirSync(volumeData('plain'))).toEqual([]);
    // Stopped, and never started: the mounts are bound for the copy all the same.
    expect((await docker('stop', '-t', '1', 'u1')).code).toBe(0);
    expect((await docker('cp', file, 'u1:/data/stopped')).code).toBe(0);
    expect(readdirSync(volumeData('lab')).sort()).toEqual(['f', 'new', 'stopped']);
    expect((await docker('create', '--name', 'c2', '-v', `${hostDir}:/bind`, 'busybox', 'true')).code).toBe(
      0,
    );
    expect((await docker('cp', file, 'c2:/bind/fromcreated')).code).toBe(0);
    expect(existsSync(join(hostDir, 'fromcreated'))).toBe(true);
    // Nothing stays mounted for a copy.
    expect(mountsUnder(engine.dir).filter((m) => m.includes('cp-'))).toEqual([]);
    expect((await docker('rm', '-f', 'u1', 'c2')).code).toBe(0);
  }, 180_000);
}

function bindSourceCase(): void {
  it('a --mount bind of a missing source is refused at create with dockerd’s text', async () => {
    const missing = join(work.path, 'nonexistent', 'x');
    const r = await docker(
      'run',
      '--rm',
      '--mount',
      `type=bind,source=${missing},target=/h`,
      'busybox',
      'ls',
      '/h',
    );
    expect(r).toEqual({
      stdout: '',
      stderr: `docker: Error response from daemon: invalid mount config for type "bind": bind source path does not exist: ${missing}\n\nRun 'docker run --help' for more information\n`,
      code: 125,
    });
  }, 180_000);
}

function statsCase(): void {
  it('docker stats streams a frame a second until the client leaves, with the veth’s figures on the bridge', async () => {
    expect((await docker('run', '-d', '--name', 's1', 'busybox', 'sleep', '1000')).code).toBe(0);
    expect(
      (await docker('run', '-d', '--name', 'sn', '--network', 'none', 'busybox', 'sleep', '1000')).code,
    ).toBe(0);
    const frames = await statsFrames('s1', 5);
    expect(frames).toHaveLength(5);
    // The first frame has nothing before it; each next one names the previous one's read.
    expect(frames[0]?.preread).toBe('0001-01-01T00:00:00Z');
    for (let i = 1; i < frames.length; i++) expect(frames[i]?.preread).toBe(frames[i - 1]?.read);
    const eth0 = (frames[4]?.networks as Record<string, Record<string, number>>).eth0;
    expect(Object.keys(eth0 ?? {}).sort()).toEqual(
      [
        'rx_bytes',
        'rx_dropped',
        'rx_errors',
        'rx_packets',
        'tx_bytes',
        'tx_dropped',
        'tx_errors',
        'tx_packets',
      ].sort(),
    );
    const none = await statsFrames('sn', 1);
    expect('networks' in (none[0] ?? {})).toBe(false);
    // The engine still answers once the stream's client is gone.
    expect((await docker('stats', '--no-stream', '--format', '{{.Name}}', 's1')).stdout).toBe('s1\n');
    expect((await docker('rm', '-f', 's1', 'sn')).code).toBe(0);
  }, 180_000);
}

realSuite(
  'docker cp through mounts, bind sources, streamed stats',
  ['root', 'overlay', 'skopeo', 'busybox', 'docker', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      const archive = await fixtureBusyboxArchive(work.path);
      mkdirSync(hostDir, { recursive: true });
      writeFileSync(join(hostDir, 'h'), 'onhost\n');
      writeFileSync(join(work.path, 'new'), 'new\n');
      engine = await suite.startEngine();
      expect((await docker('load', '-i', archive)).code).toBe(0);
    }, 180_000);
    afterAll(() => suite.stop(engine), 120_000);

    cpCase();
    bindSourceCase();
    statsCase();
  },
);
