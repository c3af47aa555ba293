// What an engine restart keeps and what it forgets, as a private dockerd 20.10 with
// --live-restore showed it (test/fixtures/real-engine/x-restore-cp-stats.txt, parts 1 and 2):
// volumes come back with their driver, labels and mount point, and the containers using them go
// on; exec records are forgotten (404 `No such exec instance`, ExecIDs null) while their
// processes run on in the container; a `-it` container is attachable on its console again and a
// `-i` one's stdin reaches its process. Here the engine is killed with SIGKILL (dockerd got a
// SIGTERM with live-restore: both leave the containers to their shims).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { DOCKER, startEngine, type RunningEngine } from './helpers/engine.ts';
import { fixtureBusyboxArchive } from './helpers/fidelityImage.ts';
import { engineProcess } from './helpers/procs.ts';
import { runDetached } from './helpers/runDetached.ts';
import { suiteEngine } from './helpers/suiteEngine.ts';
import { until } from './helpers/until.ts';
import { eventually } from './helpers/hostChecks.ts';

const run = promisify(execFile);
const suite = suiteEngine('restart-state', 'dsk');
const work = suite.work;
let engine: RunningEngine;
const ARGS = ['--bridge', suite.bridge, '--live-restore'];
/** The detached exec made before the restart. */
let execId = '';

const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

/** The docker CLI with a terminal (`script` gives it a pty), fed `input`. */
async function dockerInPty(command: string, input: string): Promise<string> {
  const env = { ...process.env, DOCKER_HOST: engine.host, DOCKER_CONFIG: join(engine.dir, 'docker-config') };
  const child = run('script', ['-qec', `${DOCKER} ${command}`, '/dev/null'], { env, timeout: 60_000 });
  child.child.stdin?.end(input);
  return (await child.catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }))).stdout;
}

/** SIGKILL of the engine, and a new one on the same root, socket and bridge. */
async function killAndRestart(): Promise<void> {
  const pid = engineProcess(engine.pid);
  process.kill(pid, 'SIGKILL');
  process.kill(engine.pid, 'SIGKILL');
  await until(() => !existsSync(`/proc/${pid}`), 'the engine to die');
  engine = await startEngine({ base: engine.dir, args: ARGS });
}

function beforeRestartCase(): void {
  it('before the restart: a labelled volume in use, a detached exec, -it and -i containers', async () => {
    expect((await docker('volume', 'create', '--label', 'team=web', '--label', 'tier=1', 'lab')).stdout).toBe(
      'lab\n',
    );
    const writeThenSleep = ['sh', '-c', 'echo one > /data/f; sleep 1000'];
    const u1 = await runDetached(engine, 'u1', 'busybox', writeThenSleep, ['-v', 'lab:/data']);
    expect(u1.code, u1.stderr).toBe(0);
    expect((await docker('run', '-dit', '--name', 't1', 'busybox', 'sh')).code).toBe(0);
    expect((await docker('run', '-di', '--name', 'i1', 'busybox', 'cat')).code).toBe(0);
    const created = await engine.request('POST', '/containers/u1/exec', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Cmd: ['sleep', '999'] }),
    });
    execId = (JSON.parse(created.text) as { Id: string }).Id;
    const started = await engine.request('POST', `/exec/${execId}/start`, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Detach: true }),
    });
    expect(started.status).toBe(200);
    const json = JSON.parse((await engine.request('GET', `/exec/${execId}/json`)).text) as {
      Running: boolean;
    };
    expect(json.Running).toBe(true);
    expect((await docker('inspect', '-f', '{{len .ExecIDs}}', 'u1')).stdout).toBe('1\n');
    await killAndRestart();
    expect(lines((await docker('ps', '--format', '{{.Names}}')).stdout).sort()).toEqual(['i1', 't1', 'u1']);
  }, 180_000);
}

function volumesCase(): void {
  it('volumes come back with their driver, labels and mount point; their containers go on', async () => {
    expect((await docker('volume', 'ls', '--format', '{{.Driver}} {{.Name}}')).stdout).toBe('local lab\n');
    const [lab] = JSON.parse((await docker('volume', 'inspect', 'lab')).stdout) as Record<string, unknown>[];
    expect(lab).toMatchObject({
      Driver: 'local',
      Labels: { team: 'web', tier: '1' },
      Mountpoint: join(engine.root, 'volumes', 'lab', '_data'),
      Name: 'lab',
      Options: null,
      Scope: 'local',
    });
    expect((await docker('exec', 'u1', 'cat', '/data/f')).stdout).toBe('one\n');
    expect((await docker('run', '--rm', '-v', 'lab:/data', 'busybox', 'cat', '/data/f')).stdout).toBe(
      'one\n',
    );
    const inUse = await docker('volume', 'rm', 'lab');
    expect(inUse.stderr).toMatch(
      /^Error response from daemon: remove lab: volume is in use - \[[0-9a-f]{64}\]\n$/,
    );
  }, 180_000);
}

function execsCase(): void {
  it('exec records are forgotten, their processes run on, and new execs work', async () => {
    const gone = await engine.request('GET', `/exec/${execId}/json`);
    expect({ status: gone.status, body: JSON.parse(gone.text) as unknown }).toEqual({
      status: 404,
      body: { message: `No such exec instance: ${execId}` },
    });
    expect((await docker('inspect', '-f', '{{json .ExecIDs}}', 'u1')).stdout).toBe('null\n');
    const top = await docker('top', 'u1', '-o', 'pid,args');
    expect(
      lines(top.stdout)
        .slice(1)
        .map((l) => l.replace(/^\d+\s+/, ''))
        .sort(),
    ).toEqual(['sleep 1000', 'sleep 999']);
    expect((await docker('exec', '-d', 'u1', 'sleep', '5')).code).toBe(0);
    expect((await docker('inspect', '-f', '{{len .ExecIDs}}', 'u1')).stdout).toBe('1\n');
  }, 180_000);
}

function stdioCase(): void {
  it('a -it container is attachable on its console, a -i one takes stdin again', async () => {
    const out = await dockerInPty('attach t1', 'echo hello-$((40+2))\nexit 3\n');
    expect(out).toContain('hello-42');
    await eventually(
      async () => (await docker('inspect', '-f', '{{.State.Status}}', 't1')).stdout === 'exited\n',
      't1 to exit',
    );
    expect((await docker('inspect', '-f', '{{.State.ExitCode}}', 't1')).stdout).toBe('3\n');
    const env = {
      ...process.env,
      DOCKER_HOST: engine.host,
      DOCKER_CONFIG: join(engine.dir, 'docker-config'),
    };
    const attach = run(DOCKER, ['attach', '--sig-proxy=false', 'i1'], { env, timeout: 60_000 });
    attach.child.stdin?.end('line-after-restart\n');
    await eventually(
      async () => (await docker('logs', 'i1')).stdout === 'line-after-restart\n',
      'the line in i1’s log',
    );
    attach.child.kill('SIGKILL');
    await attach.catch(() => undefined);
  }, 180_000);
}

realSuite(
  'an engine restart: volumes kept, exec records forgotten, stdin and the console attachable',
  ['root', 'overlay', 'skopeo', 'busybox', 'docker', 'shim', 'runc', 'iproute2', 'iptables'],
  () => {
    beforeAll(async () => {
      const archive = await fixtureBusyboxArchive(work.path);
      engine = await suite.startEngine(['--live-restore']);
      expect((await docker('load', '-i', archive)).code).toBe(0);
    }, 180_000);
    afterAll(() => suite.stop(engine), 120_000);

    beforeRestartCase();
    volumesCase();
    execsCase();
    stdioCase();
  },
);
