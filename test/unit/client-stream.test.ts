// The client's JSON stream renderer against what docker CLI 28.2.2 printed for the same
// recorded dockerd streams (test/fixtures/client/README.md): off a terminal, and on terminals
// 80 and 150 columns wide (progress bars appear above 110 columns).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonMessage } from '../../engine/api/jsonmessage.ts';
import {
  JsonLines,
  renderStream,
  StreamRenderer,
  type RenderOptions,
} from '../../engine/client/render/stream.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'client');
const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
const messages = (name: string): JsonMessage[] => new JsonLines().push(text(`${name}.jsonl`));
const plain: RenderOptions = { isTerminal: false, width: 200, now: () => 0 };
const tty = (width: number): RenderOptions => ({ isTerminal: true, width, now: () => 0 });
/** pull.go prints the full reference after the stream. */
const LAST = '127.0.0.1:39403/mine/bb:t2\n';

describe('client stream renderer, stdout not a terminal', () => {
  it('prints each status once per change and drops byte-count messages, as docker pull does', () => {
    const { text: out, error } = renderStream(messages('pull'), plain);
    expect(error).toBeUndefined();
    expect(out + LAST).toBe(text('pull.plain.out'));
    expect(out).not.toContain('Downloading');
  });

  it('stops at the error message and answers its text (docker: stderr, exit 1)', () => {
    const { text: out, error } = renderStream(messages('pullerr'), plain);
    expect(out).toBe(text('pullerr.plain.out'));
    expect(`${error}\n`).toBe(text('pullerr.plain.err'));
    expect(text('pullerr.plain.rc').trim()).toBe('1');
  });

  it('renders a push stream and hands the aux result to its callback', () => {
    const { text: out, aux } = renderStream(messages('push'), plain);
    expect(out).toBe(text('push.plain.out'));
    expect(aux).toEqual([expect.objectContaining({ Tag: 't2', Size: 1148 })]);
  });
});

describe('client stream renderer, stdout a terminal', () => {
  for (const width of [80, 150]) {
    it(`moves the cursor to each layer's line, ${width} columns`, () => {
      expect(renderStream(messages('pull'), tty(width)).text + LAST).toBe(text(`pull.tty${width}.out`));
      expect(renderStream(messages('push'), tty(width)).text).toBe(text(`push.tty${width}.out`));
      expect(renderStream(messages('pullerr'), tty(width)).text).toBe(text(`pullerr.tty${width}.out`));
    });
  }

  it('draws bars only above 110 columns', () => {
    expect(text('pull.tty150.out')).toContain('[=>');
    expect(text('pull.tty80.out')).not.toContain('[=>');
  });

  it('forgets the layer lines after a message without progress', () => {
    const r = new StreamRenderer(tty(80));
    const a = { id: 'aaa', status: 'Waiting', progressDetail: {} };
    expect(r.write(a)).toBe('\n\x1b[1A\x1b[2K\raaa: Waiting \r\x1b[1B');
    expect(r.write({ id: 'bbb', status: 'Waiting', progressDetail: {} })).toBe(
      '\n\x1b[1A\x1b[2K\rbbb: Waiting \r\x1b[1B',
    );
    expect(r.write(a)).toBe('\x1b[2A\x1b[2K\raaa: Waiting \r\x1b[2B');
    expect(r.write({ status: 'Digest: sha256:x' })).toBe('Digest: sha256:x\n');
    // A fresh line again: the earlier ones scrolled away as history.
    expect(r.write(a)).toBe('\n\x1b[1A\x1b[2K\raaa: Waiting \r\x1b[1B');
  });

  it('shows the time left from the message start and the caller clock', () => {
    const m = { id: 'l1', status: 'Downloading', progressDetail: { current: 100, total: 1000, start: 990 } };
    const out = new StreamRenderer({ isTerminal: true, width: 120, now: () => 1000 }).write(m);
    expect(out).toContain('     100B/1kB 1m30s\r');
  });

  it('turns a 401 error into docker’s own text', () => {
    const r = renderStream(
      [{ errorDetail: { code: 401, message: 'unauthorized' }, error: 'unauthorized' }],
      plain,
    );
    expect(r.error).toBe('authentication is required');
  });
});

describe('JsonLines', () => {
  it('splits messages across chunk boundaries', () => {
    const lines = new JsonLines();
    expect(lines.push('{"status":"a"}\n{"sta')).toEqual([{ status: 'a' }]);
    expect(lines.push('tus":"b"}\n')).toEqual([{ status: 'b' }]);
    expect(lines.push('{"status":"c"}')).toEqual([]);
    expect(lines.end()).toEqual([{ status: 'c' }]);
  });
});
