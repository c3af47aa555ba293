import { expect } from 'vitest';
import type { RegistryRequest, RegistryResponse } from '../../src/ports/registry.ts';
import {
  defineContract,
  sha256,
  utf8Length,
  type ContractCases,
  type ContractOptions,
  type Factory,
} from './harness.ts';

/**
 * The registry transport's contract (src/ports/registry.ts): the OCI distribution spec's pull
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md) with Docker Hub's
 * token auth (https://distribution.github.io/distribution/spec/auth/token/):
 *   - `GET /v2/` without credentials is 401 with `WWW-Authenticate: Bearer realm=…,service=…`;
 *     every 401 carries a challenge (RFC 9110 §15.5.2);
 *   - the realm issues a token for `scope=repository:NAME:pull`; with it `/v2/` is 200;
 *   - a manifest by tag or digest is served with the digest of its exact bytes
 *     (`Docker-Content-Digest`) and its media type as `Content-Type`; HEAD gives the same
 *     headers and no body;
 *   - blobs are served by digest, JSON blobs as their exact bytes, and sizes match descriptors;
 *   - unknown tags, blobs and digests are 404 with MANIFEST_UNKNOWN / BLOB_UNKNOWN, an unknown
 *     repository 401 or 404, all with a distribution error body `{"errors":[{code,…}]}`.
 * Header names are matched case-insensitively (HTTP field names are).
 */
/**
 * The port as the contract drives it: the simulation's transport answers at once, the engine's
 * when the network does (engine/real/registry.ts); every case awaits the answer.
 */
export interface RegistryTransport {
  roundTrip(request: RegistryRequest): RegistryResponse | Promise<RegistryResponse>;
}

export interface RegistryTarget {
  /** The registry host requests go to. */
  host: string;
  /** A public repository of a multi-platform image, and one of its tags. */
  repository: string;
  tag: string;
}

export interface RegistryContractOptions extends ContractOptions<RegistryTransport> {
  target?: RegistryTarget;
}

const DOCKER_HUB_BUSYBOX: RegistryTarget = {
  host: 'registry-1.docker.io',
  repository: 'library/busybox',
  tag: 'latest',
};

export function describeRegistryContract(
  name: string,
  factory: Factory<RegistryTransport>,
  options?: RegistryContractOptions,
): void {
  const target = options?.target ?? DOCKER_HUB_BUSYBOX;
  defineContract('RegistryTransport', name, factory, options, (cases) => {
    cases.group('authentication', () => authCases(cases, target));
    cases.group('manifests', () => manifestCases(cases, target));
    cases.group('blobs', () => blobCases(cases, target));
    cases.group('everything the index reaches', () => reachabilityCases(cases, target));
    cases.group('errors', () => errorCases(cases, target));
  });
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
}
interface Manifest {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

function header(res: RegistryResponse, name: string): string | undefined {
  const key = Object.keys(res.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : res.headers[key];
}

/** The parameters of a `Bearer k="v",…` challenge, or undefined when it is not Bearer. */
function bearer(challenge: string | undefined): Record<string, string> | undefined {
  const m = /^Bearer\s+(.*)$/i.exec(challenge ?? '');
  if (!m) return undefined;
  return Object.fromEntries(
    [...(m[1] ?? '').matchAll(/([a-z_]+)="([^"]*)"/gi)].map(([, k = '', v = '']) => [k.toLowerCase(), v]),
  );
}

function errorCodes(res: RegistryResponse): string[] {
  try {
    const body = JSON.parse(res.body ?? '') as { errors?: { code?: string }[] };
    return (body.errors ?? []).map((e) => String(e.code));
  } catch {
    return [];
  }
}

async function send(
  t: RegistryTransport,
  request: Partial<RegistryRequest> & { host: string; path: string },
): Promise<RegistryResponse> {
  return t.roundTrip({ method: 'GET', headers: {}, ...request });
}

/** The token dance: probe, read the challenge, ask the realm for a pull token for `repository`. */
async function tokenFor(
  t: RegistryTransport,
  target: RegistryTarget,
  repository = target.repository,
): Promise<string> {
  const challenge = bearer(header(await send(t, { host: target.host, path: '/v2/' }), 'WWW-Authenticate'));
  const realm = new URL(challenge?.realm ?? 'https://invalid.invalid/');
  const query = `?service=${encodeURIComponent(challenge?.service ?? '')}&scope=${encodeURIComponent(`repository:${repository}:pull`)}`;
  const res = await send(t, { host: realm.host, path: `${realm.pathname}${query}` });
  const body = JSON.parse(res.body ?? '{}') as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (res.status !== 200 || !token) throw new Error(`no token from ${realm.href}: ${res.status}`);
  return token;
}

function authed(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, Accept: ACCEPT, ...extra };
}

async function getManifest(
  t: RegistryTransport,
  target: RegistryTarget,
  token: string,
  ref: string,
  method: 'GET' | 'HEAD' = 'GET',
) {
  return await send(t, {
    method,
    host: target.host,
    path: `/v2/${target.repository}/manifests/${ref}`,
    headers: authed(token),
  });
}

async function getBlob(t: RegistryTransport, target: RegistryTarget, token: string, digest: string) {
  return await send(t, {
    host: target.host,
    path: `/v2/${target.repository}/blobs/${digest}`,
    headers: authed(token),
  });
}

/** A 200 JSON document whose bytes hash to `digest` (and weigh `size`, when given). */
function expectDocument(res: RegistryResponse, digest: string, size?: number): Manifest {
  expect(res.status, `${digest}: ${res.status} ${res.body ?? ''}`).toBe(200);
  const body = res.body ?? '';
  expect(sha256(body), digest).toBe(digest);
  expect(res.bodySize, digest).toBe(utf8Length(body));
  if (size !== undefined) expect(utf8Length(body), digest).toBe(size);
  return JSON.parse(body) as Manifest;
}

/** The tag's document, and the linux/amd64 manifest (the tag's document itself if not an index). */
async function resolve(t: RegistryTransport, target: RegistryTarget, token: string) {
  const top = await getManifest(t, target, token, target.tag);
  const topJson = JSON.parse(top.body ?? '{}') as Manifest;
  const chosen = topJson.manifests?.find(
    (d) => d.platform?.os === 'linux' && d.platform.architecture === 'amd64',
  );
  const manifest = chosen
    ? (JSON.parse((await getManifest(t, target, token, chosen.digest)).body ?? '{}') as Manifest)
    : topJson;
  return { top, topJson, manifest };
}

function authCases(cases: ContractCases<RegistryTransport>, target: RegistryTarget): void {
  cases.it(
    'GET /v2/ without credentials is 401 with a Bearer challenge naming realm and service',
    async (t) => {
      const res = await send(t, { host: target.host, path: '/v2/' });
      expect(res.status).toBe(401);
      const challenge = bearer(header(res, 'WWW-Authenticate'));
      expect(challenge, header(res, 'WWW-Authenticate')).toBeDefined();
      // Docker Hub's realm is https; a registry on loopback may name a plain-HTTP token server.
      expect(challenge?.realm).toMatch(/^https?:\/\/[^/]+/);
      expect(challenge?.service).toBeTruthy();
      expect(errorCodes(res)).toContain('UNAUTHORIZED');
    },
  );

  cases.it('the realm issues a token for a pull scope, and /v2/ accepts it', async (t) => {
    const token = await tokenFor(t, target);
    expect(token.length).toBeGreaterThan(0);
    const res = await send(t, {
      host: target.host,
      path: '/v2/',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  cases.it('a manifest request without a token is challenged for the repository’s pull scope', async (t) => {
    const res = await send(t, {
      host: target.host,
      path: `/v2/${target.repository}/manifests/${target.tag}`,
      headers: { Accept: ACCEPT },
    });
    expect(res.status).toBe(401);
    expect(bearer(header(res, 'WWW-Authenticate'))?.scope).toBe(`repository:${target.repository}:pull`);
  });

  cases.it('every 401 carries a WWW-Authenticate challenge', async (t) => {
    const missing = 'library/dockstep-contract-no-such-repository';
    const token = await tokenFor(t, target, missing);
    const responses = [
      await send(t, { host: target.host, path: '/v2/' }),
      await send(t, { host: target.host, path: `/v2/${missing}/manifests/latest`, headers: authed(token) }),
      await send(t, {
        host: target.host,
        path: `/v2/${missing}/manifests/latest`,
        headers: { Accept: ACCEPT },
      }),
      await send(t, {
        host: target.host,
        path: `/v2/${missing}/blobs/${sha256('nothing')}`,
        headers: authed(token),
      }),
    ];
    const unauthorized = responses.filter((r) => r.status === 401);
    expect(unauthorized.length).toBeGreaterThan(0);
    for (const res of unauthorized) expect(bearer(header(res, 'WWW-Authenticate')), res.body).toBeDefined();
  });
}

function manifestCases(cases: ContractCases<RegistryTransport>, target: RegistryTarget): void {
  cases.it('a tag resolves to a document whose digest is the sha256 of the bytes served', async (t) => {
    const res = await getManifest(t, target, await tokenFor(t, target), target.tag);
    const digest = header(res, 'Docker-Content-Digest') ?? '';
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const json = expectDocument(res, digest);
    expect(header(res, 'Content-Type')).toBe(json.mediaType);
  });

  cases.it('a manifest fetched by digest is byte for byte the one fetched by tag', async (t) => {
    const token = await tokenFor(t, target);
    const byTag = await getManifest(t, target, token, target.tag);
    const digest = header(byTag, 'Docker-Content-Digest') ?? sha256(byTag.body ?? '');
    const byDigest = await getManifest(t, target, token, digest);
    expect(byDigest.status).toBe(200);
    expect(byDigest.body).toBe(byTag.body);
    expect(header(byDigest, 'Docker-Content-Digest')).toBe(digest);
  });

  cases.it('HEAD of a manifest gives GET’s status, digest and length, without a body', async (t) => {
    const token = await tokenFor(t, target);
    const get = await getManifest(t, target, token, target.tag);
    const head = await getManifest(t, target, token, target.tag, 'HEAD');
    expect(head.status).toBe(200);
    expect(header(head, 'Docker-Content-Digest')).toBe(header(get, 'Docker-Content-Digest'));
    expect(head.bodySize).toBe(get.bodySize);
    expect(head.body).toBeUndefined();
    const missing = await getManifest(t, target, token, 'dockstep-contract-no-such-tag', 'HEAD');
    expect(missing.status).toBe(404);
    expect(missing.body).toBeUndefined();
  });

  cases.it('the index’s linux/amd64 manifest hashes to its descriptor and has its media type', async (t) => {
    const token = await tokenFor(t, target);
    const { topJson } = await resolve(t, target, token);
    expect(INDEX_TYPES).toContain(topJson.mediaType);
    const chosen = topJson.manifests?.find(
      (d) => d.platform?.os === 'linux' && d.platform.architecture === 'amd64',
    );
    expect(chosen).toBeDefined();
    const res = await getManifest(t, target, token, chosen?.digest ?? '');
    const manifest = expectDocument(res, chosen?.digest ?? '', chosen?.size);
    expect(header(res, 'Content-Type')).toBe(chosen?.mediaType);
    expect(manifest.config?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifest.layers?.length).toBeGreaterThan(0);
  });
}

function reachabilityCases(cases: ContractCases<RegistryTransport>, target: RegistryTarget): void {
  cases.it('every manifest the index lists is served, and every blob they reference', async (t) => {
    const token = await tokenFor(t, target);
    const { topJson } = await resolve(t, target, token);
    const problems: string[] = [];
    for (const d of topJson.manifests ?? []) {
      const res = await getManifest(t, target, token, d.digest);
      if (res.status !== 200 || sha256(res.body ?? '') !== d.digest) {
        problems.push(`manifest ${d.digest}: ${res.status}`);
        continue;
      }
      const manifest = JSON.parse(res.body ?? '{}') as Manifest;
      for (const blob of [manifest.config, ...(manifest.layers ?? [])]) {
        if (!blob) continue;
        const b = await getBlob(t, target, token, blob.digest);
        if (b.status !== 200 || b.bodySize !== blob.size)
          problems.push(
            `${d.platform?.architecture ?? '?'} blob ${blob.digest}: ${b.status}, ${b.bodySize} bytes`,
          );
      }
    }
    expect(topJson.manifests?.length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });
}

function blobCases(cases: ContractCases<RegistryTransport>, target: RegistryTarget): void {
  cases.it('the config blob is the exact bytes its descriptor names, one diff id per layer', async (t) => {
    const token = await tokenFor(t, target);
    const { manifest } = await resolve(t, target, token);
    const config = manifest.config;
    expect(config).toBeDefined();
    const res = await getBlob(t, target, token, config?.digest ?? '');
    const json = expectDocument(res, config?.digest ?? '', config?.size) as {
      rootfs?: { diff_ids?: string[] };
    };
    expect(json.rootfs?.diff_ids).toHaveLength(manifest.layers?.length ?? -1);
  });

  cases.it('layer blobs are served with their descriptor’s size and digest', async (t) => {
    const token = await tokenFor(t, target);
    const { manifest } = await resolve(t, target, token);
    expect(manifest.layers?.length).toBeGreaterThan(0);
    for (const layer of manifest.layers ?? []) {
      const res = await getBlob(t, target, token, layer.digest);
      expect(res.status, layer.digest).toBe(200);
      expect(res.bodySize, layer.digest).toBe(layer.size);
      const digest = header(res, 'Docker-Content-Digest');
      if (digest !== undefined) expect(digest).toBe(layer.digest);
    }
  });
}

function errorCases(cases: ContractCases<RegistryTransport>, target: RegistryTarget): void {
  cases.it('an unknown tag is 404 MANIFEST_UNKNOWN', async (t) => {
    const res = await getManifest(t, target, await tokenFor(t, target), 'dockstep-contract-no-such-tag');
    expect(res.status).toBe(404);
    expect(errorCodes(res)).toContain('MANIFEST_UNKNOWN');
  });

  cases.it('an unknown blob is 404 BLOB_UNKNOWN', async (t) => {
    const res = await getBlob(
      t,
      target,
      await tokenFor(t, target),
      sha256('dockstep contract: no such blob'),
    );
    expect(res.status).toBe(404);
    expect(errorCodes(res)).toContain('BLOB_UNKNOWN');
  });

  cases.it('a config digest is not a manifest: 404 MANIFEST_UNKNOWN', async (t) => {
    const token = await tokenFor(t, target);
    const { topJson } = await resolve(t, target, token);
    const configs: string[] = [];
    for (const d of topJson.manifests ?? []) {
      const config = (JSON.parse((await getManifest(t, target, token, d.digest)).body ?? '{}') as Manifest)
        .config;
      if (config) configs.push(config.digest);
    }
    expect(configs.length).toBeGreaterThan(0);
    const served: string[] = [];
    for (const digest of configs)
      if ((await getManifest(t, target, token, digest)).status !== 404) served.push(digest);
    expect(served).toEqual([]);
  });

  cases.it('an unknown repository is 401 or 404 with a distribution error', async (t) => {
    const missing = 'library/dockstep-contract-no-such-repository';
    const res = await send(t, {
      host: target.host,
      path: `/v2/${missing}/manifests/latest`,
      headers: authed(await tokenFor(t, target, missing)),
    });
    expect([401, 404]).toContain(res.status);
    const codes = errorCodes(res);
    expect(codes.length).toBeGreaterThan(0);
    // distribution 2.8 makes repositories lazily: a missing one is an unknown manifest there (measured).
    for (const code of codes)
      expect(['UNAUTHORIZED', 'DENIED', 'NAME_UNKNOWN', 'MANIFEST_UNKNOWN']).toContain(code);
  });
}
