// Pull from a real docker-registry (with the Bearer token flow of its `silly` auth) images
// pushed by skopeo in both manifest families and as a multi-platform index, then look at the
// result as a container would: a real overlay mount of the committed snapshots.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MediaType } from '../../engine/image/oci.ts';
import { pull } from '../../engine/image/pull.ts';
import type { RegistryRecord } from '../../engine/image/registry/trace.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { realSuite } from './helpers/caps.ts';
import { push } from '../../engine/image/push.ts';
import { expectOnlyReferenced } from './helpers/clean.ts';
import {
  buildLayer,
  busyboxLayout,
  skopeoCopy,
  skopeoInspect,
  writeImage,
  writeIndex,
  writeLayoutIndex,
  type BuiltImage,
} from './helpers/images.ts';
import { startRegistry, startTokenServer, type Registry, type TokenServer } from './helpers/registry.ts';
import { tempDir, withMount } from './helpers/tmp.ts';

let tokens: TokenServer;
let registry: Registry;
let image: BuiltImage;
const work = tempDir('pull');
let root: ImageRoot;

function pullTests1(): void {
  it('pulls an oci image through the token flow and unpacks it in overlayfs form', async () => {
    const records: RegistryRecord[] = [];
    const before = tokens.requests.length;
    const { record, fetched } = await pull(root, `${registry.host}/busybox:oci`, {
      onRecord: (r) => records.push(r),
    });
    expect(fetched).toBe(4);
    expect(record.manifest).toMatchObject({
      digest: image.manifest.digest,
      mediaType: MediaType.ociManifest,
    });
    expect(record.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    expect(records.map((r) => `${r.method} ${r.purpose} ${r.status}`).slice(0, 4)).toEqual([
      'GET ping 401',
      'GET token 200',
      'GET manifest 200',
      'GET blob 200',
    ]);
    const blobGets = records.filter((r) => r.purpose === 'blob');
    expect(blobGets.map((r) => r.digest).sort()).toEqual(
      [image.config.digest, ...image.layers.map((l) => l.digest)].sort(),
    );
    expect(blobGets.find((r) => r.digest === image.layers[0]?.digest)?.size).toBe(image.layers[0]?.size);
    expect(tokens.requests[before]).toMatchObject({ service: 'test', scopes: ['repository:busybox:pull'] });
    for (const l of image.layers) expect(statSync(root.content.path(l.digest)).size).toBe(l.size);
    const chain = record.layers.map((l) => root.snapshots.stat(l.chainId));
    expect(chain.map((s) => s?.kind)).toEqual(['committed', 'committed', 'committed', 'committed']);
    expect(chain.map((s) => s?.parent)).toEqual([
      undefined,
      ...record.layers.slice(0, 3).map((l) => l.chainId),
    ]);
    const third = root.snapshots.fsPath(record.layers[2]?.chainId ?? '');
    const wh = lstatSync(join(third, 'etc/old.conf'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    expect(
      execFileSync('getfattr', [
        '--only-values',
        '-n',
        'trusted.overlay.opaque',
        join(third, 'etc/conf.d'),
      ]).toString(),
    ).toBe('y');
  });
}

function pullTests2(): void {
  it('mounts the image as a container sees it: whiteouts hide, opaque dirs replace, busybox runs', async () => {
    const record = root.images.get(`${registry.host}/busybox:oci`);
    const top = record?.layers.at(-1)?.chainId ?? '';
    const mounts = await root.snapshots.view('view-test', top);
    try {
      await withMount(mounts, work.path, (merged) => {
        expect(readdirSync(join(merged, 'etc')).sort()).toEqual(['conf.d', 'passwd']);
        expect(readdirSync(join(merged, 'etc/conf.d'))).toEqual(['c.conf']);
        const owned = statSync(join(merged, 'home/nobody/owned'));
        expect([owned.uid, owned.gid, owned.mode & 0o7777]).toEqual([65534, 65534, 0o600]);
        expect(statSync(join(merged, 'app/tool')).mode & 0o7777).toBe(0o4755);
        expect(statSync(join(merged, 'tmp')).mode & 0o7777).toBe(0o1777);
        expect(statSync(join(merged, 'app/hard')).ino).toBe(statSync(join(merged, 'app/hello.sh')).ino);
        expect(
          execFileSync('getfattr', ['--only-values', '-n', 'user.note', join(merged, 'app/tool')]).toString(),
        ).toBe('kept');
        expect(statSync(join(merged, 'etc/passwd')).mtimeMs).toBe(1_700_000_000_000);
        const out = execFileSync('chroot', [
          merged,
          '/bin/sh',
          '-c',
          'ls /etc/conf.d; /app/hello.sh; cat /etc/conf.d/c.conf',
        ]).toString();
        expect(out).toBe('c.conf\nhello from dockstep\nc\n');
      });
    } finally {
      await root.snapshots.remove('view-test');
    }
  });

  it('pulls the docker schema2 form of the same image, sharing its layers', async () => {
    const records: RegistryRecord[] = [];
    const { record, fetched } = await pull(root, `${registry.host}/busybox:v2s2`, {
      onRecord: (r) => records.push(r),
    });
    expect(record.manifest.mediaType).toBe(MediaType.dockerManifest);
    expect(record.config.mediaType).toBe(MediaType.dockerConfig);
    expect(record.layers.every((l) => l.mediaType === MediaType.dockerLayer)).toBe(true);
    expect(fetched).toBe(0);
    expect(records.filter((r) => r.purpose === 'blob')).toHaveLength(0);
    expect(record.layers.map((l) => l.chainId)).toEqual(
      root.images.get(`${registry.host}/busybox:oci`)?.layers.map((l) => l.chainId),
    );
  });

  it('chooses the host platform from an oci index and skips the attestation entry', async () => {
    const { record } = await pull(root, `${registry.host}/multi:latest`);
    expect(record.target.mediaType).toBe(MediaType.ociIndex);
    expect(record.manifest.digest).toBe(image.manifest.digest);
    expect(await root.content.has(record.target.digest)).toBe(true);
    expect(readFileSync(root.content.path(record.target.digest), 'utf8')).toContain('attestation-manifest');
  });
}

function pullTests3(): void {
  it('does the work once for two concurrent pulls of one image, and of two names sharing layers', async () => {
    const records: RegistryRecord[] = [];
    const onRecord = (r: RegistryRecord): number => records.push(r);
    const [a, b] = await Promise.all([
      pull(root, `${registry.host}/fresh:1`, { onRecord }),
      pull(root, `${registry.host}/fresh:1`, { onRecord }),
    ]);
    expect(a).toBe(b);
    expect(records.filter((r) => r.purpose === 'blob')).toHaveLength(3);
    const other = await ImageRoot.open(join(work.path, 'root-shared'), { unpackWorkers: 0 });
    try {
      const shared: RegistryRecord[] = [];
      const seen = (r: RegistryRecord): number => shared.push(r);
      await Promise.all([
        pull(other, `${registry.host}/busybox:oci`, { onRecord: seen }),
        pull(other, `${registry.host}/busybox:v2s2`, { onRecord: seen }),
      ]);
      const layerGets = shared.filter((r) => r.purpose === 'blob' && r.digest !== image.config.digest);
      expect(layerGets.map((r) => r.digest).sort()).toEqual(image.layers.map((l) => l.digest).sort());
      await expectOnlyReferenced(other);
    } finally {
      await other.close();
    }
  });

  it('pushes with its own client: monolithic, chunked, mounted, then skipped; skopeo sees the same image', async () => {
    const source = `${registry.host}/busybox:oci`;
    const mono = await push(root, source, `${registry.host}/pushed:mono`, { mount: false });
    expect(Object.values(mono.blobs)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded', 'uploaded']);
    const records: RegistryRecord[] = [];
    const chunked = await push(root, source, `${registry.host}/pushed-chunked:1`, {
      mount: false,
      chunkSize: 256 << 10,
      onRecord: (r) => records.push(r),
    });
    expect(records.filter((r) => r.purpose === 'upload-chunk').length).toBeGreaterThanOrEqual(5);
    const mounted = await push(root, source, `${registry.host}/pushed-mounted:1`);
    expect(Object.values(mounted.blobs)).toEqual(['mounted', 'mounted', 'mounted', 'mounted', 'mounted']);
    const again = await push(root, source, `${registry.host}/pushed:mono`);
    expect(Object.values(again.blobs).every((r) => r === 'exists')).toBe(true);
    for (const ref of ['pushed:mono', 'pushed-chunked:1', 'pushed-mounted:1']) {
      const seen = await skopeoInspect(`${registry.host}/${ref}`);
      expect(seen['Digest']).toBe(image.manifest.digest);
      expect(seen['Layers']).toEqual(image.layers.map((l) => l.digest));
    }
    expect(chunked.digest).toBe(image.manifest.digest);
  });
}

function pullTests4(): void {
  it('removes names refcounted: a layer shared with another image stays until the last one goes', async () => {
    const oci = root.images.get(`${registry.host}/busybox:oci`);
    const first = await root.removeImage(`${registry.host}/busybox:oci`);
    expect(first.snapshots).toEqual([]);
    // Its manifest is also multi:latest's platform manifest, so even that blob stays.
    expect(first.blobs).toEqual([]);
    for (const l of oci?.layers ?? []) expect(root.snapshots.stat(l.chainId)?.kind).toBe('committed');
    await root.removeImage(`${registry.host}/busybox:v2s2`);
    for (const l of oci?.layers ?? []) expect(root.snapshots.stat(l.chainId)?.kind).toBe('committed');
    const last = await root.removeImage(`${registry.host}/multi:latest`);
    expect(last.blobs).toEqual(
      expect.arrayContaining([oci?.manifest.digest, ...(oci?.layers ?? []).map((l) => l.digest)]),
    );
    expect(last.snapshots).toEqual([...(oci?.layers ?? [])].reverse().map((l) => l.chainId));
    await expectOnlyReferenced(root);
    expect(root.images.list().map((r) => r.name)).toEqual([`${registry.host}/fresh:1`]);
  });
}

realSuite('pull from a real registry', ['root', 'overlay', 'registry', 'skopeo', 'busybox', 'attr'], () => {
  beforeAll(async () => {
    tokens = await startTokenServer();
    registry = await startRegistry({ realm: tokens.realm });
    const layout = join(work.path, 'layout');
    image = busyboxLayout(layout);
    const other = writeImage(
      layout,
      [buildLayer([{ entry: { path: 'other' }, data: Buffer.from('other arch') }])],
      { os: 'linux', architecture: 'arm64' },
    );
    const att = writeImage(
      layout,
      [buildLayer([{ entry: { path: 'attestation.json' }, data: Buffer.from('{}') }])],
      { os: 'unknown', architecture: 'unknown' },
    );
    const index = writeIndex(layout, image, other, att);
    writeLayoutIndex(layout, 'multi', {
      mediaType: MediaType.ociIndex,
      digest: index.digest,
      size: index.size,
    });
    await skopeoCopy(layout, 'v1', `${registry.host}/busybox:oci`);
    await skopeoCopy(layout, 'v1', `${registry.host}/busybox:v2s2`, { format: 'v2s2' });
    await skopeoCopy(layout, 'multi', `${registry.host}/multi:latest`, { all: true });
    const fresh = writeImage(layout, [
      buildLayer([{ entry: { path: 'fresh-a' }, data: Buffer.from('a'.repeat(300_000)) }]),
      buildLayer([{ entry: { path: 'fresh-b' }, data: Buffer.from('b') }]),
    ]);
    writeLayoutIndex(layout, 'fresh', {
      mediaType: MediaType.ociManifest,
      digest: fresh.manifest.digest,
      size: fresh.manifest.size,
    });
    await skopeoCopy(layout, 'fresh', `${registry.host}/fresh:1`);
    root = await ImageRoot.open(join(work.path, 'root'));
  });

  afterAll(async () => {
    await root?.close();
    await registry?.stop();
    await tokens?.stop();
    work.remove();
  });

  pullTests1();
  pullTests2();
  pullTests3();
  pullTests4();
});
