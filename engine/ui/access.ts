// Who may reach the UI server: it runs inside a root daemon, so a page that can talk to it can
// watch (and, with --ui-control, pause) the host's real work. Three checks, as Jupyter's server
// makes them:
// - the token: random, compared in constant time (crypto.timingSafeEqual on equal-length
//   digests, so neither the content nor the length leaks through timing);
// - the Host header: a loopback name with this port, so a page on another site whose name was
//   re-pointed at 127.0.0.1 (DNS rebinding) is refused though its requests reach the socket;
// - the Origin of a WebSocket: exactly the page's own origin, so another site's script, which a
//   browser lets open a WebSocket anywhere, is refused (RFC 6455 §10.2).
// The first page request with the token sets it as an HttpOnly, SameSite=Strict cookie, so a
// reload (the page takes the token out of its address) still opens the page and its socket:
// scripts cannot read it, and no other site's request carries it (RFC 6265bis §5.4.7). Cookies
// ignore the port, so its name carries this server's port: two engines never mix their tokens.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token: 24 random bytes, URL-safe base64 (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header names this server: a loopback name and exactly this port. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`);
}

/** The Origin header is the page's own: http, a loopback name, this port. */
export function ownOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined || !origin.startsWith('http://')) return false;
  return loopbackHost(origin.slice('http://'.length), port);
}

/** The cookie that carries the token of the server on `port`. */
export function tokenCookie(port: number): string {
  return `dockstep-token-${port}`;
}

/** The Set-Cookie header that keeps the token for this origin's later requests. */
export function setTokenCookie(token: string, port: number): string {
  return `${tokenCookie(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token a request's Cookie header carries for this server, if any. */
export function cookieToken(header: string | undefined, port: number): string | undefined {
  const name = `${tokenCookie(port)}=`;
  for (const part of (header ?? '').split(';')) {
    const pair = part.trim();
    if (pair.startsWith(name)) return pair.slice(name.length);
  }
  return undefined;
}

/** The token of a request: its query's (`?token=`), else its cookie's. */
export function requestToken(url: URL, cookie: string | undefined, port: number): string | undefined {
  return url.searchParams.get('token') || cookieToken(cookie, port);
}
