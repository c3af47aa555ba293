import { expect } from 'vitest';
import type { LogLine, LogStore } from '../../src/ports/logs.ts';
import { defineContract, type ContractCases, type ContractOptions, type Factory } from './harness.ts';

/**
 * The log store's contract (src/ports/logs.ts): Docker's json-file driver
 * (https://docs.docker.com/engine/logging/drivers/json-file/, daemon/logger/jsonfilelog): one
 * file per container, `<root>/containers/<id>/<id>-json.log`, one JSON object per appended line
 * with its stream, its text byte for byte and its time (RFC 3339 with nanoseconds, so
 * milliseconds survive); `docker logs --tail N` gives the last N lines, `--tail 0` none; the
 * file goes with the container. What was written is on disk: it does not change afterwards.
 *
 * The factory must give a store with no logs (a temporary root in real mode).
 */
export function describeLogStoreContract(
  name: string,
  factory: Factory<LogStore>,
  options?: ContractOptions<LogStore>,
): void {
  defineContract('LogStore', name, factory, options, (cases) => {
    cases.group('append and read', () => readCases(cases));
    cases.group('remove and paths', () => fileCases(cases));
  });
}

const C1 = 'a'.repeat(64);
const C2 = 'b'.repeat(64);
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0) + 123;

const line = (text: string, n = 0, stream: LogLine['stream'] = 'stdout'): LogLine => ({
  stream,
  text,
  timeMs: T0 + n * 1001,
});

function readCases(cases: ContractCases<LogStore>): void {
  cases.it('a container without logs reads as empty', (logs) => {
    expect(logs.read(C1)).toEqual([]);
    expect(logs.read(C1, 10)).toEqual([]);
  });

  cases.it('read gives the lines in the order appended, with stream, text and time', (logs) => {
    const lines = [line('one\n', 0), line('warning\n', 1, 'stderr'), line('two\n', 2), line('three\n', 2)];
    for (const l of lines) logs.append(C1, l);
    expect(logs.read(C1)).toEqual(lines);
  });

  cases.it('text survives byte for byte: quotes, escapes, unicode, no trailing newline', (logs) => {
    const texts = [
      'say "hi"\n',
      'back\\slash\ttab\r\n',
      'ünïcødé 🐳 \u2028 <&>\n',
      '{"log":"nested"}\n',
      'partial line, no newline',
      ' ',
    ];
    texts.forEach((text, i) => logs.append(C1, line(text, i)));
    expect(logs.read(C1).map((l) => l.text)).toEqual(texts);
  });

  cases.it('tail gives the last lines; tail 0 gives none', (logs) => {
    const lines = [0, 1, 2, 3, 4].map((n) => line(`line ${n}\n`, n));
    for (const l of lines) logs.append(C1, l);
    expect(logs.read(C1, 2)).toEqual(lines.slice(3));
    expect(logs.read(C1, 1)).toEqual(lines.slice(4));
    expect(logs.read(C1, 0)).toEqual([]);
    expect(logs.read(C1, 5)).toEqual(lines);
    expect(logs.read(C1, 50)).toEqual(lines);
    expect(logs.read(C1)).toEqual(lines);
  });

  cases.it('each container has its own log', (logs) => {
    logs.append(C1, line('from one\n', 0));
    logs.append(C2, line('from two\n', 1, 'stderr'));
    logs.append(C1, line('one again\n', 2));
    expect(logs.read(C1).map((l) => l.text)).toEqual(['from one\n', 'one again\n']);
    expect(logs.read(C2)).toEqual([line('from two\n', 1, 'stderr')]);
  });

  cases.it('what was written stays written: callers’ objects are not the log', (logs) => {
    const appended = line('original\n');
    logs.append(C1, appended);
    appended.text = 'changed by the caller\n';
    const first = logs.read(C1);
    const [read] = first;
    if (read) read.text = 'changed by a reader\n';
    first.push(line('pushed by a reader\n', 1));
    expect(logs.read(C1)).toEqual([line('original\n')]);
  });
}

function fileCases(cases: ContractCases<LogStore>): void {
  cases.it('remove deletes the log; a later append starts a new one', (logs) => {
    logs.append(C1, line('old\n', 0));
    logs.append(C2, line('other\n', 0));
    logs.remove(C1);
    expect(logs.read(C1)).toEqual([]);
    expect(logs.read(C2)).toHaveLength(1);
    logs.append(C1, line('new\n', 1));
    expect(logs.read(C1)).toEqual([line('new\n', 1)]);
  });

  cases.it('remove of a container without logs is harmless', (logs) => {
    logs.append(C2, line('kept\n'));
    expect(() => logs.remove(C1)).not.toThrow();
    expect(logs.read(C2)).toEqual([line('kept\n')]);
  });

  cases.it('pathOf is containers/<id>/<id>-json.log under an absolute root', (logs) => {
    const p1 = logs.pathOf(C1);
    const p2 = logs.pathOf(C2);
    expect(p1.startsWith('/')).toBe(true);
    expect(p1.endsWith(`/containers/${C1}/${C1}-json.log`)).toBe(true);
    expect(p2.endsWith(`/containers/${C2}/${C2}-json.log`)).toBe(true);
    expect(p1.slice(0, -`/containers/${C1}/${C1}-json.log`.length)).toBe(
      p2.slice(0, -`/containers/${C2}/${C2}-json.log`.length),
    );
  });
}
