// The json-file logger and reader on real files and FIFOs (no root needed): rotation as a private
// dockerd 20.10 rotated a log with max-size=1k, max-file=3 (test/fixtures/real-engine/
// l-rotate.txt), tail across the rotated files, since/until, follow that sees lines as they are
// written, across a rotation, and ends when the logger closes; a 100 MB burst into a FIFO copied
// into the log without loss while the bytes waiting in memory stay bounded.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyToLog } from '../../engine/logs/copyToLog.ts';
import { JsonFileLogger } from '../../engine/logs/jsonFileLogger.ts';
import type { StoredMessage } from '../../engine/logs/message.ts';
import { jsonFileOptions } from '../../engine/logs/options.ts';
import { readLogs, type LogSource, type ReadConfig } from '../../engine/logs/readLogs.ts';
import { openStdio } from '../../engine/logs/stdio.ts';
import { tempDir } from './helpers/tmp.ts';
import { until } from './helpers/until.ts';

const tmp = tempDir('logs');
afterAll(() => tmp.remove());

let clock = 1_796_642_238_000_000_001n;
const line = (text: string): { stream: 'stdout'; line: Buffer; time: bigint } => ({
  stream: 'stdout',
  line: Buffer.from(text),
  time: (clock += 1_000_001n),
});

async function collect(source: LogSource, config: ReadConfig): Promise<string[]> {
  const out: string[] = [];
  for await (const m of readLogs(source, config)) out.push(m.line.toString());
  return out;
}

const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split('\n').slice(0, -1);
const logOf = (l: string): string => (JSON.parse(l) as { log: string }).log;

describe('the json-file logger', () => {
  it('rotates at max-size=1k, keeps max-file=3 files, as dockerd did for 200 lines', async () => {
    const path = join(tmp.path, 'rotate-json.log');
    const logger = await JsonFileLogger.open(path, jsonFileOptions({ 'max-size': '1k', 'max-file': '3' }));
    for (let i = 0; i < 200; i++) logger.log(line(`line ${i} ............`));
    await logger.close();
    // l-rotate.txt: NAME.2 11 lines (168–178), NAME.1 11 (179–189), NAME the rest; no NAME.3.
    // Where the cuts fall depends on the lengths of all lines before (dockerd's times lose
    // trailing zeros), so the rule is checked: a file is rotated at the first write that finds
    // it at 1000 bytes or more, and no line is lost or repeated.
    const files = [`${path}.2`, `${path}.1`, path].map(linesOf);
    for (const f of files.slice(0, 2)) {
      const size = f.reduce((n, l) => n + l.length + 1, 0);
      expect(size).toBeGreaterThanOrEqual(1000);
      expect(size - (f.at(-1)?.length ?? 0) - 1).toBeLessThan(1000);
      expect(f).toHaveLength(11);
    }
    const numbers = files.flat().map((l) => Number(/line (\d+)/.exec(logOf(l))?.[1]));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => 200 - numbers.length + i));
    expect(readdirSync(tmp.path).filter((f) => f.startsWith('rotate-json.log'))).toHaveLength(3);
    const source = { path, maxFile: 3 };
    expect(await collect(source, { tail: 2 })).toEqual([
      'line 198 ............\n',
      'line 199 ............\n',
    ]);
    expect(await collect(source, { tail: 12 })).toHaveLength(12);
    expect(await collect(source, { tail: 12 }).then((l) => l[0])).toBe('line 188 ............\n');
    expect(await collect(source, { tail: -1 })).toHaveLength(numbers.length);
    expect(await collect(source, { tail: 0 })).toEqual([]);
  });

  it('refuses the options dockerd refuses', () => {
    expect(() => jsonFileOptions({ 'max-size': '0' })).toThrow('max-size must be a positive number');
    expect(() => jsonFileOptions({ 'max-file': '0' })).toThrow('max-file cannot be less than 1');
    expect(() => jsonFileOptions({ 'max-size': 'big' })).toThrow("invalid size: 'big'");
    expect(() => jsonFileOptions({ color: 'red' })).toThrow(
      "unknown log opt 'color' for json-file log driver",
    );
    expect(jsonFileOptions({ 'max-size': '10m', 'max-file': '2' })).toEqual({
      maxSize: 10_000_000,
      maxFile: 2,
    });
  });

  it('reads since and until by the times written', async () => {
    const path = join(tmp.path, 'times-json.log');
    const logger = await JsonFileLogger.open(path);
    const sent = ['a', 'b', 'c', 'd'].map(line);
    for (const m of sent) logger.log(m);
    await logger.close();
    const [, b, c] = sent.map((m) => m.time);
    expect(await collect({ path, maxFile: 1 }, { tail: -1, since: b, until: c })).toEqual(['b\n', 'c\n']);
    expect(await collect({ path, maxFile: 1 }, { tail: 1, since: b })).toEqual(['d\n']);
  });
});

describe('following a live log', () => {
  it('gives lines as they are written, goes on after a rotation, ends when the logger closes', async () => {
    const path = join(tmp.path, 'follow-json.log');
    const logger = await JsonFileLogger.open(path, { maxSize: 300, maxFile: 5 });
    logger.log(line('before'));
    await until(() => logger.size > 0, 'the first line on disk');
    const seen: StoredMessage[] = [];
    const done = (async () => {
      for await (const m of readLogs(logger, { tail: 0, follow: true })) seen.push(m);
    })();
    logger.log(line('one'));
    await until(() => seen.length === 1, 'the follower to see a line');
    for (let i = 0; i < 10; i++) logger.log(line(`more ${i}`));
    await until(() => seen.length === 11, 'the lines after the rotations');
    expect(logger.rotations).toBeGreaterThan(0);
    logger.log(line('last'));
    await logger.close();
    await done;
    expect(seen.map((m) => m.line.toString())).toEqual([
      'one\n',
      ...Array.from({ length: 10 }, (_, i) => `more ${i}\n`),
      'last\n',
    ]);
  });
});

describe('following through bursts of rotations', () => {
  it('loses no line while the files are kept, however the writes and the reads fall', async () => {
    for (let round = 0; round < 20; round++) {
      const path = join(tmp.path, `burst-${round}-json.log`);
      const logger = await JsonFileLogger.open(path, { maxSize: 300, maxFile: 5 });
      const seen: string[] = [];
      const done = (async () => {
        for await (const m of readLogs(logger, { tail: 0, follow: true })) seen.push(m.line.toString());
      })();
      // Several rotations, in one burst or two.
      for (let i = 0; i < 20; i++) {
        logger.log(line(`more ${i}`));
        if (i === 11 && round % 2 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      await logger.close();
      await done;
      expect(seen.join('')).toBe(Array.from({ length: 20 }, (_, i) => `more ${i}\n`).join(''));
      expect(logger.rotations).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('stdio FIFOs into the log', () => {
  it('sees no end before a writer came, and ends the copy when the engine closes the FIFOs', async () => {
    const stdio = await openStdio(join(tmp.path, 'containerd'), 'never', { stdin: true });
    expect(stdio.paths).toEqual({
      stdout: join(tmp.path, 'containerd', 'never', 'init-stdout'),
      stderr: join(tmp.path, 'containerd', 'never', 'init-stderr'),
      stdin: join(tmp.path, 'containerd', 'never', 'init-stdin'),
    });
    const logger = await JsonFileLogger.open(join(tmp.path, 'never-json.log'));
    let ended = false;
    const copied = copyToLog(stdio, logger).then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(ended).toBe(false);
    await stdio.close();
    await copied;
    await logger.close();
    expect(readdirSync(join(tmp.path, 'containerd'))).not.toContain('never');
  });

  it('copies 100 MB written to a FIFO at once, every byte, with bounded memory', async () => {
    const stdio = await openStdio(join(tmp.path, 'containerd'), 'burst');
    const logger = await JsonFileLogger.open(join(tmp.path, 'burst-json.log'));
    const copied = copyToLog(stdio, logger);
    // 104857600 bytes: 102400 lines of 1023 digits and a newline, on stdout; one line on stderr.
    const script = `yes "$(printf '%01023d' 7)" | head -c 104857600 >"$1"; echo done >"$2"`;
    const writer = spawn('sh', ['-c', script, 'sh', stdio.paths.stdout, stdio.paths.stderr ?? '']);
    await new Promise((resolve) => writer.once('exit', resolve));
    await copied;
    await logger.close();
    let lines = 0;
    let bytes = 0;
    let wrong = 0;
    const want = `${'0'.repeat(1022)}7\n`;
    for await (const m of readLogs({ path: logger.path, maxFile: 1 }, { tail: -1 })) {
      if (m.stream === 'stderr') continue;
      lines++;
      bytes += m.line.length;
      if (m.line.toString() !== want) wrong++;
    }
    expect({ lines, bytes, wrong }).toEqual({ lines: 102_400, bytes: 104_857_600, wrong: 0 });
    // Never more than the high-water mark (1 MiB) and one read's messages waited in memory.
    expect(logger.maxQueued).toBeLessThan(2 * 1024 * 1024);
    await stdio.close();
  });
});
