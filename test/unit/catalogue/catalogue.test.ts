import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isDigest } from '../../../src/model/digest.ts';
import { MEDIA_TYPES, chainIds, isAttestation, selectPlatform } from '../../../src/model/image.ts';
import {
  CATALOGUE,
  findDocument,
  findImage,
  lookPath,
  pathOf,
  type CatalogueImage,
  type RawBlob,
} from '../../../src/sim/catalogue/index.ts';

const sha256 = (data: string | Uint8Array): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;
const image = (name: string): CatalogueImage => {
  const found = findImage(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const documents = (img: CatalogueImage): RawBlob<unknown>[] => [
  img.index,
  img.manifest,
  img.config,
  ...img.related,
];
const MB = 1_000_000;

describe.each(CATALOGUE.map((img) => [img.name, img] as const))('%s', (_name, img) => {
  it('serves documents whose digest and size are those of the raw bytes', () => {
    for (const doc of documents(img)) {
      expect(doc.digest).toBe(sha256(doc.raw));
      expect(doc.size).toBe(Buffer.byteLength(doc.raw, 'utf8'));
      expect(JSON.parse(doc.raw)).toEqual(doc.json);
      expect(findDocument(img, doc.digest)).toBe(doc);
    }
  });

  it('computes its documents once', () => {
    expect(img.index).toBe(img.index);
    expect(img.layers).toBe(img.layers);
  });

  it('has an index with linux/amd64, linux/arm64 and (Docker Hub official images) their attestation manifests', () => {
    const { manifests } = img.index.json;
    const attested = img.domain === 'docker.io' ? ['unknown/unknown', 'unknown/unknown'] : [];
    expect(img.index.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
      ...attested,
    ]);
    for (const entry of manifests) {
      const doc = findDocument(img, entry.digest);
      expect(doc, entry.digest).toBeDefined();
      expect(entry.size).toBe(doc?.size);
      expect(entry.mediaType).toBe(doc?.mediaType);
    }
    const attestations = manifests.filter(isAttestation);
    expect(attestations.map((a) => a.annotations?.['vnd.docker.reference.digest'])).toEqual(
      attested.length > 0 ? manifests.filter((m) => !isAttestation(m)).map((m) => m.digest) : [],
    );
    expect(selectPlatform(img.index.json, { os: 'linux', architecture: 'amd64' })?.digest).toBe(
      img.manifest.digest,
    );
  });

  it('has a manifest that references its config and layers with matching digests and sizes', () => {
    const { config, layers } = img.manifest.json;
    expect(img.manifest.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(config).toEqual({
      mediaType: MEDIA_TYPES.ociConfig,
      digest: img.config.digest,
      size: img.config.size,
    });
    expect(layers).toEqual(
      img.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    );
  });
});

describe.each(CATALOGUE.map((img) => [img.name, img] as const))('%s config and layers', (_name, img) => {
  it('has a config whose diff ids and history match the layers', () => {
    const config = img.config.json;
    expect(config).toMatchObject({ architecture: 'amd64', os: 'linux' });
    expect(config.rootfs.diff_ids).toEqual(img.layers.map((l) => l.diffId));
    const withLayer = (config.history ?? []).filter((h) => h.empty_layer !== true);
    expect(withLayer.map((h) => h.created_by)).toEqual(img.layers.map((l) => l.createdBy));
    expect(
      config.history?.every((h) => h.created !== undefined && !Number.isNaN(Date.parse(h.created))),
    ).toBe(true);
  });

  it('has well-formed layers with small file samples', () => {
    for (const layer of img.layers) {
      expect(isDigest(layer.digest) && isDigest(layer.diffId)).toBe(true);
      expect(layer.size).toBeGreaterThan(0);
      expect(layer.uncompressedSize).toBeGreaterThan(layer.size);
      expect(layer.files.length).toBeLessThanOrEqual(12);
      for (const file of layer.files) expect(file.path.startsWith('/')).toBe(true);
    }
    expect(new Set(img.layers.map((l) => l.digest)).size).toBe(img.layers.length);
  });

  it('runs its entrypoint or command from the executables, looked up in its PATH', () => {
    const { Entrypoint, Cmd, Env } = img.config.json.config ?? {};
    const program = (Entrypoint ?? Cmd ?? [])[0];
    expect(program).toBeDefined();
    expect(lookPath(img.executables, program ?? '', pathOf(Env))).toBeDefined();
    // Every Docker Hub image here has a shell but hello-world; it and Kubernetes' pause are FROM
    // scratch with one program.
    if (img.domain === 'docker.io' && img.name !== 'hello-world')
      expect(lookPath(img.executables, 'sh', pathOf(Env))).toBeDefined();
    expect(img.executables.every((p) => p.startsWith('/'))).toBe(true);
    expect(new Set(img.executables).size).toBe(img.executables.length);
  });
});

describe('realistic sizes (compressed / uncompressed)', () => {
  it.each([
    ['busybox', 1, 2.15, 4.27],
    ['alpine', 1, 3.64, 7.83],
    ['nginx', 7, 72.1, 191.9],
    ['redis', 8, 45.0, 117.0],
  ])('%s: %i layers, ≈ %f MB / %f MB', (name, count, compressed, uncompressed) => {
    const { layers } = image(name);
    expect(layers).toHaveLength(count);
    expect(layers.reduce((sum, l) => sum + l.size, 0) / MB).toBeCloseTo(compressed, 1);
    expect(layers.reduce((sum, l) => sum + l.uncompressedSize, 0) / MB).toBeCloseTo(uncompressed, 1);
  });
});

describe('shared layers', () => {
  const nginx = image('nginx');
  const redis = image('redis');

  it('nginx and redis share exactly the Debian base layer', () => {
    const redisDigests = new Set(redis.layers.map((l) => l.digest));
    const shared = nginx.layers.filter((l) => redisDigests.has(l.digest));
    expect(shared).toEqual([nginx.layers[0]]);
    expect(redis.layers[0]).toEqual(nginx.layers[0]);
    expect(nginx.layers[0]?.createdBy).toMatch(/^# debian\.sh --arch 'amd64' out\/ 'bookworm'/);
  });

  it('so their snapshot chains share only the first chain id', () => {
    const a = chainIds(nginx.config.json.rootfs.diff_ids);
    const b = chainIds(redis.config.json.rootfs.diff_ids);
    expect(a[0]).toBe(b[0]);
    expect(a.filter((id) => b.includes(id))).toEqual([a[0]]);
  });

  it('no other catalogue images share a layer', () => {
    const all = CATALOGUE.flatMap((img) => img.layers.map((l) => l.digest));
    expect(all.length - new Set(all).size).toBe(1);
  });
});

describe('image contents: nginx', () => {
  const history = (img: CatalogueImage): string[] =>
    (img.config.json.history ?? []).map((h) => h.created_by ?? '');
  const emptyLayer = (img: CatalogueImage, createdBy: string): boolean | undefined =>
    img.config.json.history?.find((h) => h.created_by === createdBy)?.empty_layer;

  it('nginx: entrypoint, command, stop signal, port, labels and env', () => {
    const nginx = image('nginx');
    expect(nginx.config.json.config).toMatchObject({
      Entrypoint: ['/docker-entrypoint.sh'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      StopSignal: 'SIGQUIT',
      ExposedPorts: { '80/tcp': {} },
      Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
    });
    expect(nginx.config.json.config?.Env).toContain('NGINX_VERSION=1.27.4');
    for (const meta of [
      'CMD ["nginx" "-g" "daemon off;"]',
      'STOPSIGNAL SIGQUIT',
      'EXPOSE map[80/tcp:{}]',
      'ENTRYPOINT ["/docker-entrypoint.sh"]',
    ]) {
      expect(emptyLayer(nginx, meta), meta).toBe(true);
    }
    expect(history(nginx).filter((h) => h.startsWith('COPY '))).toHaveLength(5);
  });

  it('nginx: files of its layers, and a whiteout above the base', () => {
    const nginx = image('nginx');
    const paths = nginx.layers.flatMap((l) => l.files.map((f) => f.path));
    for (const p of ['/usr/bin/bash', '/etc/debian_version', '/usr/lib/x86_64-linux-gnu/libc.so.6']) {
      expect(nginx.layers[0]?.files.map((f) => f.path)).toContain(p);
    }
    for (const p of ['/usr/sbin/nginx', '/etc/nginx/nginx.conf', '/docker-entrypoint.sh'])
      expect(paths).toContain(p);
    expect(paths.some((p) => p.startsWith('/docker-entrypoint.d/'))).toBe(true);
    const whiteouts = nginx.layers.slice(1).flatMap((l) => l.files.filter((f) => f.kind === 'whiteout'));
    expect(whiteouts.length).toBeGreaterThan(0);
    // The whiteout hides something a lower layer has.
    expect(nginx.layers[0]?.files.map((f) => f.path)).toContain(whiteouts[0]?.path);
  });
});

describe('image contents: redis, busybox, alpine', () => {
  const history = (img: CatalogueImage): string[] =>
    (img.config.json.history ?? []).map((h) => h.created_by ?? '');
  const emptyLayer = (img: CatalogueImage, createdBy: string): boolean | undefined =>
    img.config.json.history?.find((h) => h.created_by === createdBy)?.empty_layer;

  it('redis: entrypoint, command, port, volume and working directory', () => {
    const redis = image('redis');
    expect(redis.config.json.config).toMatchObject({
      Entrypoint: ['docker-entrypoint.sh'],
      Cmd: ['redis-server'],
      ExposedPorts: { '6379/tcp': {} },
      Volumes: { '/data': {} },
      WorkingDir: '/data',
    });
    expect(redis.config.json.config?.Env?.some((e) => /^REDIS_VERSION=7\.4\.\d+$/.test(e))).toBe(true);
    expect(emptyLayer(redis, 'VOLUME [/data]')).toBe(true);
    expect(emptyLayer(redis, 'EXPOSE map[6379/tcp:{}]')).toBe(true);
    expect(lookPath(redis.executables, 'docker-entrypoint.sh')).toBe('/usr/local/bin/docker-entrypoint.sh');
  });

  it("redis: WORKDIR's layer is buildkit's real empty layer (a gzipped 1024-byte empty tar)", () => {
    const redis = image('redis');
    const workdir = redis.layers.find((l) => l.createdBy === 'WORKDIR /data');
    expect(workdir?.diffId).toBe(sha256(new Uint8Array(1024)));
    expect(workdir).toMatchObject({ size: 32, uncompressedSize: 1024, files: [] });
  });

  it('busybox and alpine: their shells', () => {
    expect(image('busybox').config.json.config?.Cmd).toEqual(['sh']);
    expect(image('alpine').config.json.config?.Cmd).toEqual(['/bin/sh']);
    expect(history(image('busybox'))).toContain('CMD ["sh"]');
    expect(history(image('alpine'))).toContain('CMD ["/bin/sh"]');
  });

  it('writes JSON as Go does: <, > and & escaped', () => {
    const raw = image('nginx').config.raw;
    expect(raw).toContain('\\u003cdocker-maint@nginx.com\\u003e');
    expect(raw).toContain('\\u0026\\u0026');
    expect(raw).not.toMatch(/[<>&]/);
  });
});

describe('findImage', () => {
  const nginx = image('nginx');

  it.each([
    'nginx',
    'nginx:latest',
    'library/nginx',
    'docker.io/library/nginx:latest',
    'index.docker.io/library/nginx',
  ])('finds nginx by %s', (ref) => {
    expect(findImage(ref)).toBe(nginx);
  });

  it('finds by index or manifest digest, bare or with the name; the digest wins over a tag', () => {
    expect(findImage(nginx.index.digest)).toBe(nginx);
    expect(findImage(nginx.manifest.digest)).toBe(nginx);
    expect(findImage(`nginx@${nginx.manifest.digest}`)).toBe(nginx);
    expect(findImage(`nginx:1.0@${nginx.index.digest}`)).toBe(nginx);
  });

  it.each(['nginx:1.0', 'Nginx', 'quay.io/library/nginx', 'mysql', 'nginx:', `redis@NGINX`])(
    'finds nothing for %s',
    (ref) => {
      expect(findImage(ref)).toBeUndefined();
    },
  );

  it('finds nothing for a digest under another name, or for a config digest', () => {
    expect(findImage(`redis@${nginx.index.digest}`)).toBeUndefined();
    expect(findImage(nginx.config.digest)).toBeUndefined();
  });
});

describe('lookPath', () => {
  const busybox = image('busybox');
  const nginx = image('nginx');

  it('searches PATH in order, as exec.LookPath does', () => {
    expect(lookPath(busybox.executables, 'sleep')).toBe('/bin/sleep');
    expect(lookPath(nginx.executables, 'sleep')).toBe('/usr/bin/sleep');
    expect(lookPath(nginx.executables, 'nginx')).toBe('/usr/sbin/nginx');
    expect(lookPath(nginx.executables, 'sleep', '/bin')).toBe('/bin/sleep');
    expect(lookPath(busybox.executables, 'bash')).toBeUndefined();
    expect(lookPath(nginx.executables, 'ps')).toBeUndefined();
  });

  it('takes a name with a slash as a path, relative to the working directory', () => {
    expect(lookPath(busybox.executables, '/bin/sh')).toBe('/bin/sh');
    expect(lookPath(busybox.executables, '/usr/bin/sh')).toBeUndefined();
    expect(lookPath(busybox.executables, './sh', undefined, '/bin')).toBe('./sh');
    expect(lookPath(busybox.executables, '../bin/ls', undefined, '/tmp')).toBe('../bin/ls');
  });

  it('reads PATH from an environment list', () => {
    expect(pathOf(['A=1', 'PATH=/x:/y'])).toBe('/x:/y');
    expect(pathOf(undefined)).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });
});

describe('the names the site offers', () => {
  it('are the catalogue images, by the name a pull takes', async () => {
    const { CATALOGUE_NAMES } = await import('../../../src/sim/catalogue/names.ts');
    const names = CATALOGUE.map((img) =>
      img.domain === 'docker.io' ? img.name : `${img.domain}/${img.repository}`,
    );
    expect([...CATALOGUE_NAMES].sort()).toEqual(names.sort());
  });
});
