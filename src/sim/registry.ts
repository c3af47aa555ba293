import { findImage } from './catalogue/index.ts';
import type { CatalogueImage } from './catalogue/index.ts';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../ports/registry.ts';

/**
 * Docker Hub, simulated from the built-in catalogue: a Bearer challenge on `/v2/`, a token
 * endpoint on auth.docker.io, manifests (index first, then per-platform), configs and layer
 * blobs. A repository that does not exist answers 401, as Docker Hub does (it will not say
 * whether a private repository exists).
 */
const CHALLENGE = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"';

function json(status: number, statusText: string, body: string, headers: Record<string, string> = {}): RegistryResponse {
  return { status, statusText, headers: { 'Content-Type': 'application/json', ...headers }, body, bodySize: body.length };
}

export class CatalogueRegistry implements RegistryTransport {
  constructor(private readonly token: () => string) {}

  roundTrip(request: RegistryRequest): RegistryResponse {
    if (request.host === 'auth.docker.io') {
      const token = this.token();
      return json(200, 'OK', JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2026-01-01T09:00:00Z' }));
    }
    if (request.path === '/v2/' && !request.headers.Authorization) {
      return json(401, 'Unauthorized', '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}', { 'WWW-Authenticate': CHALLENGE });
    }
    if (request.path === '/v2/') return json(200, 'OK', '{}');
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(request.path);
    const image = m ? this.repository(m[1] ?? '') : undefined;
    if (!m || !image) return json(401, 'Unauthorized', '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    return m[2] === 'manifests' ? this.manifest(image, m[3] ?? '') : this.blob(image, m[3] ?? '');
  }

  private repository(path: string): CatalogueImage | undefined {
    return findImage(path.replace(/^library\//, ''));
  }

  private manifest(image: CatalogueImage, ref: string): RegistryResponse {
    const docs = [image.index, image.manifest, ...image.related];
    const doc = ref === image.tag ? image.index : docs.find((d) => d.digest === ref);
    if (!doc) return json(404, 'Not Found', `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":"unknown tag=${ref}"}]}`);
    return json(200, 'OK', doc.raw, { 'Content-Type': doc.mediaType, 'Docker-Content-Digest': doc.digest });
  }

  private blob(image: CatalogueImage, digest: string): RegistryResponse {
    const doc = [image.config, ...image.related].find((d) => d.digest === digest);
    if (doc) return json(200, 'OK', doc.raw, { 'Docker-Content-Digest': doc.digest });
    const layer = image.layers.find((l) => l.digest === digest);
    if (!layer) return json(404, 'Not Found', '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}');
    return { status: 200, statusText: 'OK', headers: { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest }, bodySize: layer.size };
  }
}
