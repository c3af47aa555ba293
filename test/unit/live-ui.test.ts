// The live UI's pure checks (engine/ui/): who is the page's own, the token, the page's frames,
// and the --ui options of `dockstep engine`.
import { describe, expect, it } from 'vitest';
import {
  cookieToken,
  loopbackHost,
  newToken,
  ownOrigin,
  requestToken,
  sameToken,
  setTokenCookie,
} from '../../engine/ui/access.ts';
import { takeUiArgs, UiUsageError } from '../../engine/ui/args.ts';
import { FrameError, isControl, parseFrame } from '../../engine/ui/control.ts';
import { fileOf } from '../../engine/ui/site.ts';

describe('live UI access', () => {
  it('takes loopback names with this port only, and the page origin over http', () => {
    expect(loopbackHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(loopbackHost('localhost:8080', 8080)).toBe(true);
    expect(loopbackHost('[::1]:8080', 8080)).toBe(true);
    expect(loopbackHost('127.0.0.1:8081', 8080)).toBe(false);
    expect(loopbackHost('127.0.0.1', 8080)).toBe(false);
    expect(loopbackHost('evil.example:8080', 8080)).toBe(false);
    expect(loopbackHost('127.0.0.1.evil.example:8080', 8080)).toBe(false);
    expect(ownOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(ownOrigin('https://127.0.0.1:8080', 8080)).toBe(false);
    expect(ownOrigin('null', 8080)).toBe(false);
    expect(ownOrigin(undefined, 8080)).toBe(false);
  });

  it('compares tokens whatever their length', () => {
    const token = newToken();
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(`${token}x`, token)).toBe(false);
    expect(sameToken('', token)).toBe(false);
    expect(sameToken(null, token)).toBe(false);
  });

  it("reads the token from the address, else from this port's cookie", () => {
    const url = (q: string): URL => new URL(`http://127.0.0.1:8080/${q}`);
    expect(setTokenCookie('t0k', 8080)).toBe('dockstep-token-8080=t0k; Path=/; HttpOnly; SameSite=Strict');
    expect(cookieToken('a=1; dockstep-token-8080=t0k', 8080)).toBe('t0k');
    expect(cookieToken('dockstep-token-8081=t0k', 8080)).toBeUndefined();
    expect(cookieToken(undefined, 8080)).toBeUndefined();
    expect(requestToken(url('?token=q'), 'dockstep-token-8080=c', 8080)).toBe('q');
    expect(requestToken(url('?live'), 'dockstep-token-8080=c', 8080)).toBe('c');
    expect(requestToken(url('?token='), 'dockstep-token-8080=c', 8080)).toBe('c');
    expect(requestToken(url(''), undefined, 8080)).toBeUndefined();
  });

  it('serves nothing outside the site', () => {
    expect(fileOf('/srv/site', '/')).toBe('/srv/site/index.html');
    expect(fileOf('/srv/site', '/assets/a.js')).toBe('/srv/site/assets/a.js');
    expect(fileOf('/srv/site', '/%2e%2e/etc/passwd')).toBeUndefined();
    expect(fileOf('/srv/site', '/../site2/x')).toBeUndefined();
    expect(fileOf('/srv/site', '/%00')).toBeUndefined();
  });
});

describe('live UI frames and options', () => {
  it('reads control frames and refuses anything else with a reason', () => {
    expect(parseFrame('{"type":"hold"}')).toEqual({ type: 'hold' });
    expect(parseFrame('{"type":"break","spec":{"layer":"runc","direction":"to"}}')).toEqual({
      type: 'break',
      spec: { layer: 'runc', direction: 'to' },
    });
    expect(parseFrame('{"type":"command","line":"docker ps"}')).toEqual({
      type: 'command',
      line: 'docker ps',
    });
    expect(() => parseFrame('{"type":"command"}')).toThrow(/"line"/);
    // A step may name the held message it lets go (its id), never anything else.
    expect(parseFrame('{"type":"step"}')).toEqual({ type: 'step' });
    expect(parseFrame('{"type":"step","id":12}')).toEqual({ type: 'step', id: 12 });
    expect(() => parseFrame('{"type":"step","id":"12"}')).toThrow(/held message by its id/);
    expect(() => parseFrame('{"type":"step","id":-1}')).toThrow(/held message by its id/);
    expect(isControl({ type: 'command', line: 'docker ps' })).toBe(true);
    expect(isControl({ type: 'step' })).toBe(true);
    expect(isControl({ type: 'evidence' })).toBe(false);
    expect(() => parseFrame('nope')).toThrow(FrameError);
    expect(() => parseFrame('{"type":"shell"}')).toThrow(/unknown frame type "shell"/);
    expect(() => parseFrame('{"type":"break","spec":{"layer":"runc","direction":"up"}}')).toThrow(
      /direction/,
    );
  });

  it('takes --ui and its options out of the engine argv', () => {
    expect(takeUiArgs(['--root', '/r', '--ui', '--ui-port=9000', '--ui-control'])).toMatchObject({
      ui: { port: 9000, control: true },
      rest: ['--root', '/r'],
    });
    expect(takeUiArgs(['--socket', '/s']).ui).toBeUndefined();
    expect(() => takeUiArgs(['--ui-control'])).toThrow(UiUsageError);
    expect(() => takeUiArgs(['--ui', '--ui-port', '70000'])).toThrow(/port/);
  });
});
