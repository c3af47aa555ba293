// Registry failures, each a clear lowercase error, and the root as healthy afterwards as before:
// down, 401 without and with bad credentials (token and basic), 404 (manifest unknown, name
// unknown), 500, a timeout, and a registry that lies about digests and sizes or cuts a body.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isImageError } from '../../engine/image/errors.ts';
import { pull } from '../../engine/image/pull.ts';
import { RegistryClient } from '../../engine/image/registry/client.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { realSuite } from './helpers/caps.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import {
  ANN,
  serveImage,
  startFakeRegistry,
  useBasicRegistry,
  type Fault,
  type FakeRegistry,
} from './helpers/fakeRegistry.ts';
import { busyboxLayout, skopeoCopy, type BuiltImage } from './helpers/images.ts';
import {
  freePort,
  startRegistry,
  startTokenServer,
  type Registry,
  type TokenServer,
} from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isImageError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a failure');
}

const work = tempDir('errors');
let image: BuiltImage;
let root: ImageRoot;
let fake: FakeRegistry;

const lies: [string, Fault, RegExp][] = [
  [
    'a blob whose bytes are not its digest',
    'corrupt',
    /^blob from 127\.0\.0\.1:\d+\/app refused: content sha256:[0-9a-f]{64}: written data has digest sha256:[0-9a-f]{64}: refused$/,
  ],
  [
    'a body cut short',
    'truncate',
    /^blob [0-9a-f]{12} from 127\.0\.0\.1:\d+\/app is truncated: got \d+ of \d+ bytes$/,
  ],
  [
    'a body longer than the descriptor',
    'longer',
    /is \d+ bytes \(content-length\), its descriptor says \d+: refused$/,
  ],
  [
    'a content-length that lies',
    'wrong-length',
    /is \d+ bytes \(content-length\), its descriptor says \d+: refused$/,
  ],
];

function errorsTests1(): void {
  it('says a registry that is down is unreachable', async () => {
    const port = await freePort();
    const f = await failure(pull(root, `127.0.0.1:${port}/app:v1`));
    expect(f).toEqual({
      code: 'unreachable',
      message: `registry 127.0.0.1:${port} is unreachable: econnrefused on GET http://127.0.0.1:${port}/v2/`,
    });
  });

  it('times out on a registry that never answers, after the configured time', async () => {
    fake.fault = (path) => (path.includes('/manifests/') ? 'hang' : undefined);
    const started = Date.now();
    const f = await failure(pull(root, `${fake.host}/app:v1`, { timeoutMs: 300 }));
    expect(f.code).toBe('timeout');
    expect(f.message).toMatch(
      /^timeout after 300 ms waiting for 127\.0\.0\.1:\d+ \(GET \/v2\/app\/manifests\/v1\)$/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('names a 500 with the endpoint and the registry message', async () => {
    fake.fault = (path) => (path.includes('/manifests/') ? 'server-error' : undefined);
    const f = await failure(pull(root, `${fake.host}/app:v1`));
    expect(f).toEqual({
      code: 'server',
      message: `registry ${fake.host} answered server error 500 for GET /v2/app/manifests/v1: unknown: boom`,
    });
  });
}

function errorsTests2(): void {
  for (const [what, fault, message] of lies) {
    it(`refuses ${what} and keeps nothing of the pull`, async () => {
      const big = image.layers[0]?.digest ?? '';
      fake.fault = (path) => (path.endsWith(big) ? fault : undefined);
      const f = await failure(pull(root, `${fake.host}/app:v1`));
      expect(f.message).toMatch(message);
      expect(['digest-mismatch', 'truncated', 'size-mismatch']).toContain(f.code);
      await expectOnlyReferenced(root);
      expect(root.images.list()).toEqual([]);
    });
  }

  it('refuses a manifest whose bytes are not the digest asked for', async () => {
    fake.fault = (path) => (path.includes('/manifests/sha256:') ? 'corrupt' : undefined);
    const f = await failure(pull(root, `${fake.host}/app@${image.manifest.digest}`));
    expect(f.code).toBe('digest-mismatch');
    expect(f.message).toMatch(
      /^manifest for 127\.0\.0\.1:\d+\/app@sha256:[0-9a-f]{64} has digest sha256:[0-9a-f]{64}, expected sha256:/,
    );
  });

  it('pulls the same image fine once the registry behaves: the root stayed healthy', async () => {
    fake.fault = () => undefined;
    const { record } = await pull(root, `${fake.host}/app:v1`);
    expect(record.manifest.digest).toBe(image.manifest.digest);
    await expectOnlyReferenced(root);
  });
}

function errorsTests3(): void {
  describe('basic auth', () => {
    const basicRegistry = useBasicRegistry(() => image);

    it('asks for credentials when there are none', async () => {
      const basic = basicRegistry();
      const f = await failure(new RegistryClient({ host: basic.host }).getManifest('app', 'v1'));
      expect(f).toEqual({
        code: 'unauthorized',
        message: `unauthorized: ${basic.host} requires credentials (basic realm fake)`,
      });
    });

    it('says bad credentials were refused', async () => {
      const basic = basicRegistry();
      const f = await failure(
        new RegistryClient({
          host: basic.host,
          credentials: { ...ANN, password: 'nope' },
        }).getManifest('app', 'v1'),
      );
      expect(f.code).toBe('unauthorized');
      expect(f.message).toBe(
        `unauthorized: the credentials were refused for ${basic.host}/app: unauthorized: authentication required`,
      );
    });

    it('answers the challenge with good credentials', async () => {
      const got = await new RegistryClient({
        host: basicRegistry().host,
        credentials: ANN,
      }).getManifest('app', 'v1');
      expect(got.desc.digest).toBe(image.manifest.digest);
    });
  });
}

function errorsTests4(): void {
  describe('a real registry with token auth', () => {
    let tokens: TokenServer;
    let registry: Registry;
    beforeAll(async () => {
      tokens = await startTokenServer({ ann: 'secret' });
      registry = await startRegistry({ realm: tokens.realm });
      await skopeoCopy(join(work.path, 'layout'), 'v1', `${registry.host}/app:v1`, { creds: 'ann:secret' });
    });
    afterAll(async () => {
      await registry?.stop();
      await tokens?.stop();
    });

    it('says a 401 without credentials is unauthorized', async () => {
      const f = await failure(pull(root, `${registry.host}/app:v1`));
      expect(f).toEqual({
        code: 'unauthorized',
        message: `unauthorized: token server ${tokens.realm.replace('http://', '').replace('/token', '')} requires credentials for repository:app:pull`,
      });
    });

    it('says bad credentials were refused', async () => {
      const f = await failure(
        pull(root, `${registry.host}/app:v1`, { credentials: { username: 'ann', password: 'wrong' } }),
      );
      expect(f.message).toMatch(
        /^unauthorized: token server 127\.0\.0\.1:\d+ refused the credentials of ann for repository:app:pull$/,
      );
    });

    it('reads the token from access_token too, and pulls with good credentials', async () => {
      const { record } = await pull(root, `${registry.host}/app:v1`, {
        credentials: { username: 'ann', password: 'secret' },
      });
      expect(record.layers).toHaveLength(4);
      expect(tokens.requests.at(-1)).toMatchObject({ user: 'ann', scopes: ['repository:app:pull'] });
    });

    it('says manifest unknown for a missing tag and name unknown for a missing repository', async () => {
      const creds = { credentials: { username: 'ann', password: 'secret' } };
      const tag = await failure(pull(root, `${registry.host}/app:nope`, creds));
      expect(tag).toEqual({
        code: 'not-found',
        message: `manifest for ${registry.host}/app:nope not found: manifest unknown: manifest unknown`,
      });
      const name = await failure(pull(root, `${registry.host}/nothing/here:v1`, creds));
      expect(name.code).toBe('not-found');
      expect(name.message).toMatch(
        new RegExp(
          `^(repository ${registry.host}/nothing/here not found: name unknown|manifest for ${registry.host}/nothing/here:v1 not found: manifest unknown)`,
        ),
      );
      await expectOnlyReferenced(root);
    });
  });
}

realSuite('registry failures', ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr'], () => {
  beforeAll(async () => {
    image = busyboxLayout(join(work.path, 'layout'));
    root = await ImageRoot.open(join(work.path, 'root'));
    fake = await startFakeRegistry();
    serveImage(fake, 'app', 'v1', image);
  });

  afterAll(async () => {
    await root?.close();
    await fake?.stop();
    work.remove();
  });

  errorsTests1();
  errorsTests2();
  errorsTests3();
  errorsTests4();
});
