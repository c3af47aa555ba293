// The op catalogue (src/layers/catalogue.ts): payloads are read and written by op, a message is
// refused by a handler for another op, and a failed or missing reply reads as its error's words.
import { describe, expect, it } from 'vitest';
import { errorOf, payloadFor, replyOf, requestOf } from '../../../src/layers/catalogue.ts';
import type { Message } from '../../../src/model/message.ts';

function message(op: string, payload: Message['payload'], ok = true, call = 'OK'): Message {
  const m: Message = {
    seq: 1,
    id: 7,
    from: 'dockerd',
    to: 'containerd',
    kind: ok ? 'request' : 'reply',
    op,
    call,
    ok,
    narration: { key: op },
    command: 0,
    at: 0,
  };
  if (payload !== undefined) m.payload = payload;
  return m;
}

describe('the op catalogue', () => {
  it('reads a request payload by its op, and refuses a message of another op', () => {
    const msg = message(
      'ctrd.Images.Delete',
      payloadFor('ctrd.Images.Delete', { name: 'docker.io/library/busybox:latest', sync: true }),
    );
    expect(requestOf(msg, 'ctrd.Images.Delete')).toEqual({
      name: 'docker.io/library/busybox:latest',
      sync: true,
    });
    expect(() => requestOf(msg, 'ctrd.Images.Get')).toThrow(
      'message 7 is ctrd.Images.Delete, not ctrd.Images.Get',
    );
    expect(
      requestOf(
        message('storage.commit', { driver: 'overlayfs', key: 'k' }),
        'storage.prepare',
        'storage.commit',
      ).key,
    ).toBe('k');
  });

  it('reads a reply as its payload when ok, as its error otherwise, and no reply as an error', () => {
    expect(
      replyOf(message('ctrd.Content.Read', { digest: 'sha256:1', size: 3 }), 'ctrd.Content.Read'),
    ).toEqual({ ok: true, payload: { digest: 'sha256:1', size: 3 } });
    const failed = message(
      'ctrd.Content.Read',
      { error: 'content digest sha256:1: not found' },
      false,
      'error: content digest sha256:1: not found',
    );
    expect(replyOf(failed, 'ctrd.Content.Read')).toEqual({
      ok: false,
      error: 'content digest sha256:1: not found',
    });
    expect(errorOf(message('ctrd.Images.Get', undefined, false, 'NotFound: image "x"'))).toBe(
      'NotFound: image "x"',
    );
    expect(replyOf(undefined, 'ctrd.Images.List')).toEqual({ ok: false, error: 'no answer' });
  });
});
