import { CATALOGUE, findDocument, findImage } from './catalogue/index.ts';
import type { CatalogueImage } from './catalogue/index.ts';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../ports/registry.ts';
import { LOCAL_REGISTRIES, UploadStore } from './registryUploads.ts';
import { searchIndex } from './registrySearch.ts';

/**
 * Docker Hub, simulated from the built-in catalogue: a Bearer challenge on `/v2/`, a token
 * endpoint on auth.docker.io, manifests (index first, then per-platform), configs and layer
 * blobs. A repository that does not exist answers 401, as Docker Hub does (it will not say
 * whether a private repository exists).
 *
 * registry.k8s.io too, as its redirector (archeio) served it in 2025: `/v2/` answers 200 with
 * no challenge; every manifest request is redirected (307) to the Artifact Registry upstream,
 * and a blob request from outside the clouds to the project's S3 bucket, which serve them
 * without a token (https://github.com/kubernetes/registry.k8s.io, cmd/archeio/docs).
 *
 * A push to Docker Hub without a login is denied, as Docker Hub answers an anonymous token's
 * upload; a local registry on localhost:5000 (registryUploads.ts) takes pushes and serves them back.
 */
export const K8S_REGISTRY = 'registry.k8s.io';
export const K8S_UPSTREAM = 'us-central1-docker.pkg.dev';
const K8S_UPSTREAM_PATH = '/v2/k8s-artifacts-prod/images';
export const K8S_BLOBS = 'prod-registry-k8s-io-us-east-1.s3.dualstack.us-east-1.amazonaws.com';

const CHALLENGE = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"';
const UNAUTHORIZED = '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}';
const DENIED =
  '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied","detail":null}]}';

/**
 * Every 401 names what would grant access (RFC 9110 §15.5.2): on a repository path its pull
 * scope; `/v2/` names none, so a client builds the scope itself. A request that carried a token
 * which does not grant it gets `error="insufficient_scope"` too (RFC 6750 §3.1), as Docker Hub
 * answers for a repository that does not exist.
 */
function challenge(repository?: string, insufficient = false): Record<string, string> {
  const scope = repository ? `${CHALLENGE},scope="repository:${repository}:pull"` : CHALLENGE;
  return { 'WWW-Authenticate': insufficient ? `${scope},error="insufficient_scope"` : scope };
}

function isManifest(mediaType: string): boolean {
  return /manifest|index/.test(mediaType);
}

/** A HEAD answer is GET's status and headers without the body (RFC 9110 §9.3.2). */
function head(response: RegistryResponse): RegistryResponse {
  const { body: _body, ...rest } = response;
  return rest;
}

/** The bucket keeps blobs by digest alone: whichever registry.k8s.io image has the layer or config. */
function k8sImageWithBlob(digest: string): CatalogueImage | undefined {
  return CATALOGUE.find(
    (image) =>
      image.domain === K8S_REGISTRY &&
      (image.config.digest === digest || image.layers.some((l) => l.digest === digest)),
  );
}

function json(
  status: number,
  statusText: string,
  body: string,
  headers: Record<string, string> = {},
): RegistryResponse {
  return {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    bodySize: body.length,
  };
}

export class CatalogueRegistry implements RegistryTransport {
  private readonly local = new UploadStore((digest) =>
    CATALOGUE.map((image) => findDocument(image, digest)?.raw).find((raw) => raw !== undefined),
  );

  constructor(private readonly token: () => string) {}

  roundTrip(request: RegistryRequest): RegistryResponse {
    const response = this.route(request);
    return request.method === 'HEAD' ? head(response) : response;
  }

  private route(request: RegistryRequest): RegistryResponse {
    if (LOCAL_REGISTRIES.includes(request.host)) return this.localRegistry(request);
    if (request.host === K8S_REGISTRY || request.host === K8S_UPSTREAM || request.host === K8S_BLOBS)
      return this.k8s(request);
    if (request.host === 'index.docker.io' && request.path.startsWith('/v1/search'))
      return searchIndex(request.path);
    if (request.host === 'auth.docker.io') {
      const token = this.token();
      return json(
        200,
        'OK',
        JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2026-01-01T09:00:00Z' }),
      );
    }
    const authorized = Boolean(request.headers.Authorization ?? request.headers.authorization);
    // An anonymous token grants pull only: an upload or a manifest PUT is refused.
    if (request.method === 'POST' || request.method === 'PATCH' || request.method === 'PUT')
      return json(401, 'Unauthorized', DENIED, challenge());
    if (request.path === '/v2/')
      return authorized ? json(200, 'OK', '{}') : json(401, 'Unauthorized', UNAUTHORIZED, challenge());
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(request.path);
    const repository = m?.[1];
    const image = repository ? this.repository(repository) : undefined;
    // Docker Hub asks for a pull token on every repository path, and answers 401 rather than 404
    // for a repository that does not exist (it will not say whether a private one does).
    if (!m || !image || !authorized)
      return json(401, 'Unauthorized', UNAUTHORIZED, challenge(repository, authorized));
    return m[2] === 'manifests' ? this.manifest(image, m[3] ?? '') : this.blob(image, m[3] ?? '');
  }

  private localRegistry(request: RegistryRequest): RegistryResponse {
    if (request.path === '/v2/')
      return json(200, 'OK', '{}', { 'Docker-Distribution-Api-Version': 'registry/2.0' });
    return (
      this.local.serve(request) ??
      this.local.pulled(request) ??
      json(
        404,
        'Not Found',
        '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":null}]}',
      )
    );
  }

  private k8s(request: RegistryRequest): RegistryResponse {
    if (request.host === K8S_REGISTRY) {
      if (request.path === '/v2/')
        return {
          status: 200,
          statusText: 'OK',
          headers: { 'Docker-Distribution-Api-Version': 'registry/2.0' },
          bodySize: 0,
        };
      const blob = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/.exec(request.path);
      const location = blob
        ? `https://${K8S_BLOBS}/containers/images/${blob[1] ?? ''}`
        : `https://${K8S_UPSTREAM}${K8S_UPSTREAM_PATH}${request.path.slice(3)}`;
      return { status: 307, statusText: 'Temporary Redirect', headers: { Location: location }, bodySize: 0 };
    }
    if (request.host === K8S_BLOBS) {
      const digest = request.path.replace(/^\/containers\/images\//, '');
      const image = k8sImageWithBlob(digest);
      return image
        ? this.blob(image, digest)
        : json(404, 'Not Found', '<Error><Code>NoSuchKey</Code></Error>');
    }
    const m = new RegExp(`^${K8S_UPSTREAM_PATH}/(.+)/(manifests|blobs)/(.+)$`).exec(request.path);
    const image = m ? CATALOGUE.find((i) => i.domain === K8S_REGISTRY && i.repository === m[1]) : undefined;
    if (!m || !image)
      return json(
        404,
        'Not Found',
        '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}',
      );
    return m[2] === 'manifests' ? this.manifest(image, m[3] ?? '') : this.blob(image, m[3] ?? '');
  }

  private repository(path: string): CatalogueImage | undefined {
    return findImage(path.replace(/^library\//, ''));
  }

  private manifest(image: CatalogueImage, ref: string): RegistryResponse {
    const docs = [image.index, image.manifest, ...image.related.filter((d) => isManifest(d.mediaType))];
    const doc = ref === image.tag ? image.index : docs.find((d) => d.digest === ref);
    if (!doc)
      return json(
        404,
        'Not Found',
        `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":"unknown tag=${ref}"}]}`,
      );
    return json(200, 'OK', doc.raw, { 'Content-Type': doc.mediaType, 'Docker-Content-Digest': doc.digest });
  }

  private blob(image: CatalogueImage, digest: string): RegistryResponse {
    const doc = [image.config, ...image.related.filter((d) => !isManifest(d.mediaType))].find(
      (d) => d.digest === digest,
    );
    if (doc) return json(200, 'OK', doc.raw, { 'Docker-Content-Digest': doc.digest });
    const layer = this.layersOf(image).find((l) => l.digest === digest);
    if (!layer)
      return json(
        404,
        'Not Found',
        '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}',
      );
    return {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest },
      bodySize: layer.size,
    };
  }

  /** Every layer any served manifest references: the amd64 layers, other platforms', attestations'. */
  private layersOf(image: CatalogueImage): { digest: string; size: number }[] {
    const referenced = image.related
      .filter((d) => isManifest(d.mediaType))
      .flatMap((d) => (JSON.parse(d.raw) as { layers?: { digest: string; size: number }[] }).layers ?? []);
    return [...image.layers, ...referenced];
  }
}
