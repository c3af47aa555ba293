import { describe, expect, it } from 'vitest';
import { format, lookup, narrate, t } from '../../../src/i18n/index.ts';
import type { Message } from '../../../src/model/message.ts';

const message = (over: Partial<Message> = {}): Message => ({
  seq: 1,
  id: 1,
  from: 'dockerd',
  to: 'CLI',
  kind: 'reply',
  op: 'api.containers.list',
  call: '200 OK',
  status: '200',
  ok: true,
  narration: { key: 'api.containers.list.reply', params: { count: 2 } },
  command: 0,
  at: 0,
  ...over,
});

describe('format', () => {
  it('fills named slots, numbers included, as often as they occur', () => {
    expect(format('{a} and {b}, {a} again', { a: 'x', b: 3 })).toBe('x and 3, x again');
  });

  it('leaves a slot without a value visible instead of dropping it', () => {
    expect(format('step {n} of {total}', { n: 2 })).toBe('step 2 of {total}');
  });

  it('keeps text without slots, and an empty-string value empties its slot', () => {
    expect(format('no slots here', { a: 1 })).toBe('no slots here');
    expect(format('[{status}]', { status: '' })).toBe('[]');
  });
});

describe('t and lookup', () => {
  it('shows a missing key as ⟨key⟩ in every language', () => {
    expect(t('no.such.key', 'en')).toBe('⟨no.such.key⟩');
    expect(t({ key: 'no.such.key', params: { a: 1 } }, 'zh-CN')).toBe('⟨no.such.key⟩');
    expect(lookup({ key: 'no.such.key' }, 'en')).toBeUndefined();
  });

  it('fills a key’s slots from its params, which win over extra params', () => {
    expect(t({ key: 'view.step', params: { n: 3, total: 9 } }, 'en')).toBe('step 3 of 9');
    expect(t({ key: 'view.step', params: { n: 3, total: 9 } }, 'zh-CN')).toBe('第 3 步，共 9 步');
    expect(t({ key: 'phase.command', params: { line: 'docker ps' } }, 'en', { line: 'ignored' })).toBe(
      'command: docker ps',
    );
  });

  it('keeps a slot visible when the reference lacks its param', () => {
    expect(t('view.step', 'en')).toBe('step {n} of {total}');
  });
});

describe('narrate', () => {
  it('renders the narration with its params and names the participants in the reader’s language', () => {
    const m = message({
      narration: { key: 'dockerd.error.reply', params: { code: 404, message: 'No such container: x' } },
    });
    expect(narrate(m, 'en')).toContain('404');
    expect(narrate(m, 'en')).toContain('No such container: x');
    expect(narrate(m, 'zh-CN')).toContain('拒绝');
  });

  it('offers {call} and {status} implicitly', () => {
    const m = message({
      op: 'api.containers.start',
      call: '304 Not Modified',
      status: '304',
      narration: { key: 'api.containers.start.reply' },
    });
    expect(narrate(m, 'en')).toContain('304 Not Modified');
    expect(narrate(m, 'en')).not.toMatch(/\{\w+\}/);
  });

  it('appends the fidelity note after the narration', () => {
    const m = message({
      kind: 'self',
      to: 'dockerd',
      narration: { key: 'dockerd.listContainers' },
      fidelity: { key: 'fidelity.psNoContainerd' },
    });
    const text = narrate(m, 'en');
    expect(text.startsWith(t('dockerd.listContainers', 'en'))).toBe(true);
    expect(text.endsWith(t('fidelity.psNoContainerd', 'en'))).toBe(true);
  });
});
