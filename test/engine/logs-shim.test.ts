// Container output into the json-file log through the real containerd-shim-runc-v2 and runc, as
// dockerd does it: the FIFOs made and opened under `<dir>/<id>/` before Create, their paths in the
// CreateTaskRequest, both streams copied into `<id>-json.log`, a follower started before the
// container sees every line and ends when the streams end. The busybox command a private dockerd
// 20.10 logged (test/fixtures/real-engine/l-logs.sh, l-json.log; l-tty-json.log with -t) gives
// the same messages here; a container writing 100 MB at once is logged whole with bounded memory.
import { readFileSync } from 'node:fs';
import { mkdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { copyToLog } from '../../engine/logs/copyToLog.ts';
import { decodeJsonLogLine } from '../../engine/logs/jsonLine.ts';
import { JsonFileLogger } from '../../engine/logs/jsonFileLogger.ts';
import type { StoredMessage } from '../../engine/logs/message.ts';
import { readLogs } from '../../engine/logs/readLogs.ts';
import { openStdio } from '../../engine/logs/stdio.ts';
import { realSuite } from './helpers/caps.ts';
import { until } from './helpers/until.ts';
import {
  counts,
  labForSuite,
  makeBundle,
  runcOptions,
  startLabShim,
  type Counts,
  type Lab,
} from './shimFixture.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/real-engine/${name}`, import.meta.url), 'utf8');

/** The log's messages as stream and text, times left out. */
const shape = (messages: StoredMessage[]): string[] =>
  messages.map((m) => `${m.stream} ${m.line.toString()}`);

/** For each message that goes on with a line cut before it (the stream's previous message has no
 * newline): whether it carries that piece's time, as dockerd's pieces do. */
function piecesShareTime(messages: StoredMessage[]): boolean[] {
  const last = new Map<string, StoredMessage>();
  const found: boolean[] = [];
  for (const m of messages) {
    const before = last.get(m.stream);
    if (before !== undefined && before.line.at(-1) !== 0x0a) found.push(before.time === m.time);
    last.set(m.stream, m);
  }
  return found;
}

/** Each stream's messages as dockerd's, and the pieces of cut lines with their first piece's time
 * (l-json.log: two lines cut into three pieces each). */
function sameMessages(ours: StoredMessage[], theirs: StoredMessage[]): void {
  for (const s of ['stdout', 'stderr']) expect(shape(byStream(ours, s))).toEqual(shape(byStream(theirs, s)));
  expect(piecesShareTime(theirs)).toEqual([true, true, true, true]);
  expect(piecesShareTime(ours)).toEqual(piecesShareTime(theirs));
}

const byStream = (ms: StoredMessage[], s: string): StoredMessage[] => ms.filter((m) => m.stream === s);

interface Logged {
  followed: StoredMessage[];
  logger: JsonFileLogger;
  fifos: string[];
  /** `ls -l`'s first column of each, while the container ran. */
  modes: string[];
  exitStatus: number;
}

/** Runs `args` in a container as dockerd would with the json-file driver; answers what a follower
 * started before the start saw, and the closed logger. */
async function runLogged(lab: Lab, id: string, args: string[], terminal = false): Promise<Logged> {
  const c = await makeBundle(lab, id, { args, terminal, env: ['PATH=/bin'] });
  const stdio = await openStdio(join(lab.dir, 'containerd'), id, { terminal });
  const fifos = [stdio.paths.stdout, stdio.paths.stderr].filter((p) => p !== undefined);
  const modes = await Promise.all(
    fifos.map(async (f) => {
      const st = await stat(f);
      return `${st.isFIFO() ? 'p' : '-'}${(st.mode & 0o777).toString(8)}`;
    }),
  );
  await mkdir(join(lab.dir, 'containers', id), { recursive: true });
  const logger = await JsonFileLogger.open(join(lab.dir, 'containers', id, `${id}-json.log`));
  const shim = await startLabShim(lab, c);
  await shim.task.create({ bundle: c.bundle, terminal, ...stdio.paths, runc: runcOptions(lab) });
  const copied = copyToLog(stdio, logger);
  const followed: StoredMessage[] = [];
  const following = (async () => {
    for await (const m of readLogs(logger, { tail: -1, follow: true })) followed.push(m);
  })();
  await shim.task.start();
  const { exitStatus } = await shim.task.wait();
  await copied;
  await logger.close();
  await following;
  await shim.task.delete();
  await shim.task.shutdown();
  shim.log.close();
  await stdio.close();
  return { followed, logger, fifos, modes, exitStatus };
}

/** Lines and bytes of a log, and how many lines are not `want` on stdout. */
async function tally(
  logger: JsonFileLogger,
  want: string,
): Promise<{ lines: number; bytes: number; wrong: number }> {
  const t = { lines: 0, bytes: 0, wrong: 0 };
  for await (const m of readLogs(logger, { tail: -1 })) {
    t.lines++;
    t.bytes += m.line.length;
    if (m.stream !== 'stdout' || m.line.toString() !== want) t.wrong++;
  }
  return t;
}

/** The engine's ends of a running container's FIFOs closed and opened again (what an engine
 * restart does to them), the container writing all along; answers the log's lines. */
async function readAcrossRestart(lab: Lab): Promise<string[]> {
  const script = 'i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.05; done';
  const c = await makeBundle(lab, 'restart', { args: ['sh', '-c', script], env: ['PATH=/bin'] });
  const dir = join(lab.dir, 'containerd');
  const path = join(lab.dir, 'containers', 'restart-json.log');
  await mkdir(join(lab.dir, 'containers'), { recursive: true });
  const first = await openStdio(dir, 'restart');
  const firstLogger = await JsonFileLogger.open(path);
  const shim = await startLabShim(lab, c);
  await shim.task.create({ bundle: c.bundle, ...first.paths, runc: runcOptions(lab) });
  const firstCopy = copyToLog(first, firstLogger);
  await shim.task.start();
  await until(() => firstLogger.size > 0, 'the first lines');
  // The engine goes: its ends of the FIFOs close; the shim keeps its own, the container writes on.
  first.stdout.destroy();
  first.stderr?.destroy();
  await firstCopy;
  await firstLogger.close();
  await new Promise((r) => setTimeout(r, 300));
  const second = await openStdio(dir, 'restart');
  const secondLogger = await JsonFileLogger.open(path);
  const secondCopy = copyToLog(second, secondLogger);
  expect((await shim.task.wait()).exitStatus).toBe(0);
  await secondCopy;
  await secondLogger.close();
  const lines: string[] = [];
  for await (const m of readLogs({ path, maxFile: 1 }, { tail: -1 })) lines.push(m.line.toString());
  expect(lines.join('')).toBe(Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join(''));
  await shim.task.delete();
  await shim.task.shutdown();
  shim.log.close();
  await second.close();
  return lines;
}

realSuite(
  'container logs through the real shim, as dockerd logs them',
  ['root', 'busybox', 'shim', 'runc'],
  () => {
    let before: Counts;
    const theLab = labForSuite(async (lab) => {
      for (const applet of ['yes', 'head']) await symlink('busybox', join(lab.rootfs, 'bin', applet));
      before = await counts(lab);
    });

    it('logs both streams as dockerd did; a follower sees it all and ends with the streams', async () => {
      const logged = await runLogged(theLab(), 'both', ['sh', '-c', fixture('l-logs.sh')]);
      expect(logged.exitStatus).toBe(0);
      const theirs = fixture('l-json.log').split('\n').slice(0, -1).map(decodeJsonLogLine);
      const ours: StoredMessage[] = [];
      for await (const m of readLogs(logged.logger, { tail: -1 })) ours.push(m);
      sameMessages(ours, theirs);
      expect(shape(logged.followed)).toEqual(shape(ours));
    });

    it('made the FIFOs where dockerd makes them, mode 0700, and removed them', async () => {
      const logged = await runLogged(theLab(), 'fifos', ['true']);
      expect(logged.fifos).toEqual(
        ['init-stdout', 'init-stderr'].map((f) => join(theLab().dir, 'containerd', 'fifos', f)),
      );
      // l-logs.txt: prwx------ init-stderr, prwx------ init-stdout.
      expect(logged.modes).toEqual(['p700', 'p700']);
      await expect(stat(logged.fifos[0] ?? '')).rejects.toThrow('ENOENT');
    });

    it('logs a TTY container as one stream, as dockerd did', async () => {
      const script = 'echo out 1; echo err 1 >&2; printf "no newline"';
      const logged = await runLogged(theLab(), 'tty', ['sh', '-c', script], true);
      const theirs = fixture('l-tty-json.log').split('\n').slice(0, -1).map(decodeJsonLogLine);
      expect(logged.followed.map((m) => [m.stream, m.line.toString()])).toEqual(
        theirs.map((m) => [m.stream, m.line.toString()]),
      );
    });

    it('logs 100 MB written at once by a container, every byte, with bounded memory', async () => {
      const script = `yes "$(printf '%01023d' 7)" | head -c 104857600`;
      const logged = await runLogged(theLab(), 'burst', ['sh', '-c', script]);
      expect(await tally(logged.logger, `${'0'.repeat(1022)}7\n`)).toEqual({
        lines: 102_400,
        bytes: 104_857_600,
        wrong: 0,
      });
      expect(logged.followed).toHaveLength(102_400);
      expect(logged.logger.maxQueued).toBeLessThan(2 * 1024 * 1024);
    });

    it('loses nothing when the reading side goes away and comes back, as after an engine restart', async () => {
      const lines = await readAcrossRestart(theLab());
      expect(lines.join('')).toBe(Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join(''));
    });

    it('leaves nothing behind', async () => {
      expect(await counts(theLab())).toEqual({ ...before, sockets: [] });
    });
  },
);
