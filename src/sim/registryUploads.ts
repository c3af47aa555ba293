import { digestOf } from '../model/digest.ts';
import type { RegistryRequest, RegistryResponse } from '../ports/registry.ts';

/**
 * What a registry keeps of the pushes it took: blobs by digest and manifests by tag and digest,
 * per repository, and the upload sessions in between (distribution spec, "Pushing blobs":
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs). A
 * session's id is counted, not random, so a simulated push is the same every run.
 *
 * A local registry (distribution's `registry:2` image on localhost:5000, the usual target of a
 * first `docker push`) is this store and nothing else: no authentication, every repository
 * writable, an unknown one answered 404 as distribution does.
 */
export const LOCAL_REGISTRIES: readonly string[] = ['localhost:5000', '127.0.0.1:5000'];

interface Pushed {
  raw: string;
  mediaType: string;
  digest: string;
}

interface Repository {
  blobs: Map<string, number>;
  manifests: Map<string, Pushed>;
}

const API_VERSION = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

function error(status: number, statusText: string, code: string, message: string): RegistryResponse {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  return {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...API_VERSION },
    body,
    bodySize: body.length,
  };
}

function empty(status: number, statusText: string, headers: Record<string, string>): RegistryResponse {
  return { status, statusText, headers: { ...API_VERSION, 'Content-Length': '0', ...headers }, bodySize: 0 };
}

const BLOB_UNKNOWN = (): RegistryResponse =>
  error(404, 'Not Found', 'BLOB_UNKNOWN', 'blob unknown to registry');

export class UploadStore {
  /** `documentOf`: the bytes of a JSON blob (a config) by digest; an upload carries only its digest. */
  constructor(private readonly documentOf: (digest: string) => string | undefined) {}

  private readonly repositories = new Map<string, Repository>();
  /** Upload session id → its repository and the bytes received so far. */
  private readonly sessions = new Map<string, { repository: string; received: number }>();
  private counted = 0;

  /** Serves a push's requests; undefined for what is not a push (a pull of what was pushed is `pulled`). */
  serve(request: RegistryRequest): RegistryResponse | undefined {
    const path = request.path.replace(/\?.*$/, '');
    const digest = /[?&]digest=([^&]*)/.exec(request.path)?.[1];
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    const mounted = upload ? this.mount(request, upload[1] ?? '') : undefined;
    if (mounted) return mounted;
    if (upload)
      return this.upload(
        request,
        upload[1] ?? '',
        upload[2] ?? '',
        digest === undefined ? null : decodeURIComponent(digest),
      );
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest && request.method === 'PUT')
      return this.putManifest(request, manifest[1] ?? '', manifest[2] ?? '');
    return undefined;
  }

  /** A blob or manifest that was pushed here, as a pull or a HEAD asks for it. */
  pulled(request: RegistryRequest): RegistryResponse | undefined {
    const m = /^\/v2\/(.+)\/(blobs|manifests)\/([^/]+)$/.exec(request.path);
    const repo = m ? this.repositories.get(m[1] ?? '') : undefined;
    if (!m || !repo) return undefined;
    const ref = m[3] ?? '';
    if (m[2] === 'blobs') {
      const size = repo.blobs.get(ref);
      if (size === undefined) return BLOB_UNKNOWN();
      const headers = {
        'Content-Type': 'application/octet-stream',
        'Docker-Content-Digest': ref,
        ...API_VERSION,
      };
      const body = this.documentOf(ref);
      return body === undefined
        ? { status: 200, statusText: 'OK', headers, bodySize: size }
        : { status: 200, statusText: 'OK', headers, body, bodySize: size };
    }
    const doc = repo.manifests.get(ref);
    if (!doc) return error(404, 'Not Found', 'MANIFEST_UNKNOWN', 'manifest unknown');
    return {
      status: 200,
      statusText: 'OK',
      headers: { 'Content-Type': doc.mediaType, 'Docker-Content-Digest': doc.digest, ...API_VERSION },
      body: doc.raw,
      bodySize: doc.raw.length,
    };
  }

  has(repository: string): boolean {
    return this.repositories.has(repository);
  }

  private repository(name: string): Repository {
    let repo = this.repositories.get(name);
    if (!repo) {
      repo = { blobs: new Map(), manifests: new Map() };
      this.repositories.set(name, repo);
    }
    return repo;
  }

  /**
   * `POST …/uploads/?from=R&mount=D` (either order): a blob repository R has is added to this one at once (201);
   * otherwise the POST opens an upload session as any other (spec: "Mounting a blob from another
   * repository").
   */
  private mount(request: RegistryRequest, repository: string): RegistryResponse | undefined {
    // 20.10's client sends `from` first (url.Values sorted), containerd's pusher `mount` first.
    const fromText = /[?&]from=([^&]*)/.exec(request.path)?.[1];
    const mountText = /[?&]mount=([^&]*)/.exec(request.path)?.[1];
    if (request.method !== 'POST' || fromText === undefined || mountText === undefined) return undefined;
    const [from, digest] = [decodeURIComponent(fromText), decodeURIComponent(mountText)];
    const size = this.repositories.get(from)?.blobs.get(digest);
    if (size === undefined) return undefined;
    this.repository(repository).blobs.set(digest, size);
    return empty(201, 'Created', {
      Location: `/v2/${repository}/blobs/${digest}`,
      'Docker-Content-Digest': digest,
    });
  }

  /** POST opens a session, PATCH adds the body, PUT with `?digest=` commits it under its digest. */
  private upload(
    request: RegistryRequest,
    repository: string,
    id: string,
    digest: string | null,
  ): RegistryResponse {
    if (request.method === 'POST' && id === '') {
      const uuid = `00000000-0000-4000-8000-${String(++this.counted).padStart(12, '0')}`;
      this.sessions.set(uuid, { repository, received: 0 });
      return empty(202, 'Accepted', {
        Location: `/v2/${repository}/blobs/uploads/${uuid}`,
        'Docker-Upload-UUID': uuid,
        Range: '0-0',
      });
    }
    const session = this.sessions.get(id);
    if (!session || session.repository !== repository)
      return error(404, 'Not Found', 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry');
    if (request.method === 'PATCH') {
      session.received += request.upload?.size ?? 0;
      return empty(202, 'Accepted', {
        Location: `/v2/${repository}/blobs/uploads/${id}`,
        'Docker-Upload-UUID': id,
        Range: `0-${Math.max(0, session.received - 1)}`,
      });
    }
    if (request.method !== 'PUT' || digest === null)
      return error(400, 'Bad Request', 'DIGEST_INVALID', 'provided digest did not match uploaded content');
    this.sessions.delete(id);
    this.repository(repository).blobs.set(digest, session.received + (request.upload?.size ?? 0));
    return empty(201, 'Created', {
      Location: `/v2/${repository}/blobs/${digest}`,
      'Docker-Content-Digest': digest,
    });
  }

  /** A manifest is taken only when every blob it names is here (distribution: MANIFEST_BLOB_UNKNOWN). */
  private putManifest(request: RegistryRequest, repository: string, tag: string): RegistryResponse {
    const raw = request.body?.text ?? '';
    const repo = this.repository(repository);
    let names: string[];
    try {
      const doc = JSON.parse(raw) as { config?: { digest?: string }; layers?: { digest?: string }[] };
      names = [doc.config?.digest ?? '', ...(doc.layers ?? []).map((l) => l.digest ?? '')];
    } catch {
      return error(400, 'Bad Request', 'MANIFEST_INVALID', 'manifest invalid');
    }
    const missing = names.find((d) => !repo.blobs.has(d));
    if (missing !== undefined)
      return error(400, 'Bad Request', 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry');
    const pushed: Pushed = { raw, mediaType: request.body?.mediaType ?? '', digest: digestOf(raw) };
    repo.manifests.set(tag, pushed);
    repo.manifests.set(pushed.digest, pushed);
    return empty(201, 'Created', {
      Location: `/v2/${repository}/manifests/${pushed.digest}`,
      'Docker-Content-Digest': pushed.digest,
    });
  }
}
