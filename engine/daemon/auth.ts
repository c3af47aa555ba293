// X-Registry-Auth: base64url of a JSON AuthConfig {username, password, serveraddress,
// identitytoken} (moby api/types/registry DecodeAuthConfig). dockerd ignores a header it cannot
// decode for pull and push ("to increase compatibility with the existing API",
// api/server/router/image/image_routes.go) and goes on anonymously; so does this engine.
import type { IncomingMessage } from 'node:http';
import type { RegistryAuth } from './backend.ts';

export function registryAuth(req: IncomingMessage): RegistryAuth | undefined {
  const header = req.headers['x-registry-auth'];
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    const text = Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
    const o = doc as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
    let username = str('username');
    let password = str('password');
    const encoded = str('auth');
    if (username === undefined && encoded !== undefined) {
      const plain = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = plain.indexOf(':');
      if (colon > 0) [username, password] = [plain.slice(0, colon), plain.slice(colon + 1)];
    }
    const auth: RegistryAuth = {};
    if (username !== undefined) auth.username = username;
    if (password !== undefined) auth.password = password;
    const server = str('serveraddress');
    if (server !== undefined) auth.serveraddress = server;
    return auth;
  } catch {
    return undefined;
  }
}
