// The runc recorder: runs the binary it wraps with stdio and exit status passed through, and
// records each argv (any bytes a shell can pass) with the status as one JSON line; the reader
// follows the log as it grows. A stand-in runc (a shell script) keeps this test free of root.
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRuncCalls, RUNC_LOG_ENV, RuncLog, writeRecorder } from '../../engine/shim/recorder.ts';

let dir: string;
let recorder: string;
let log: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dockstep-recorder-'));
  const fake = join(dir, "fake runc's");
  await writeFile(fake, '#!/bin/sh\necho "out $#"\necho err >&2\ncat\nexit "${STATUS:-0}"\n', {
    mode: 0o755,
  });
  recorder = await writeRecorder(dir, fake);
  log = join(dir, 'runc.log');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(
  args: string[],
  status = 0,
  withLog = true,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, STATUS: String(status), ...(withLog ? { [RUNC_LOG_ENV]: log } : {}) };
    const child = execFile(recorder, args, { env }, (error, stdout, stderr) =>
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
    child.stdin?.end('in\n');
  });
}

describe('runc recorder', () => {
  it('passes stdio and the exit status through and records argv and status', async () => {
    const reader = new RuncLog(log);
    expect(await reader.next()).toEqual([]);
    const odd = ['--root', '/run/a b', 'q"u\\o\te', 'line\nbreak', 'ünï', ''];
    expect(await run(odd, 0)).toEqual({ code: 0, stdout: 'out 6\nin\n', stderr: 'err\n' });
    expect(await run(['delete', 'x'], 7)).toMatchObject({ code: 7 });
    const calls = await reader.next();
    expect(calls.map((c) => [c.argv.slice(1), c.exitStatus])).toEqual([
      [odd, 0],
      [['delete', 'x'], 7],
    ]);
    expect(calls[0]?.argv[0]).toBe(join(dir, "fake runc's"));
    for (const c of calls) expect(c.endedAt).toBeGreaterThanOrEqual(c.startedAt);
    expect(Math.abs((calls[0]?.startedAt ?? 0) - Date.now())).toBeLessThan(600_000);
    expect(await reader.next()).toEqual([]);
  });

  it('records nothing without the log variable, reads only whole lines, and reads all at once', async () => {
    const before = (await readRuncCalls(log)).length;
    expect(await run(['state', 'y'], 0, false)).toMatchObject({ code: 0, stdout: 'out 2\nin\n' });
    expect((await readRuncCalls(log)).length).toBe(before);
    const reader = new RuncLog(log);
    await reader.next();
    await appendFile(
      log,
      '{"argv":["r","start"],"exitStatus":0,"startedAt":"1.5","endedAt":"2.25"}\n{"argv":',
    );
    expect(await reader.next()).toEqual([
      { argv: ['r', 'start'], exitStatus: 0, startedAt: 1500, endedAt: 2250 },
    ]);
    await appendFile(log, '["r"],"exitStatus":1,"startedAt":"3","endedAt":"4"}\n');
    expect((await reader.next()).map((c) => c.exitStatus)).toEqual([1]);
    expect(await readRuncCalls(join(dir, 'none.log'))).toEqual([]);
  });
});
