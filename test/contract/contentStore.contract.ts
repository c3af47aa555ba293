import { expect } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import type {
  ContentEvidence,
  CtrdImage,
  ReadImagesInput,
  RemoveImageEvidence,
  RemoveImageInput,
  StoreImageInput,
  WriteContentInput,
} from '../../src/layers/containerd/imageService.ts';
import type { ContentStore } from '../../src/ports/contentStore.ts';
import {
  defineContract,
  sha256,
  utf8Length,
  type ContractCases,
  type ContractOptions,
  type Factory,
} from './harness.ts';

/**
 * The content store's contract at the level the containerd machine uses it: its effects
 * (`writeContent` for `Content.Write`, `storeImage` for `Images.Create`, `readImage` and
 * `readImages` for `Images.Get|List`, `readContent` for `Content.Read`, `removeImage` for
 * `Images.Delete`, src/layers/containerd/imageService.ts) and the query view
 * the machines read (`ports.content`, src/ports/contentStore.ts). Checked against containerd's
 * content store and its testsuite (core/content/testsuite/testsuite.go,
 * plugins/content/local/store.go, docs/content-flow.md):
 *   - a blob is visible under `blobs/sha256/<hex>` only once committed, and only after its size
 *     and digest were checked against what was written; a lying size or digest is refused and
 *     leaves nothing visible, no ingest behind;
 *   - committing a digest that is there already is done (AlreadyExists is success for a
 *     writer), and two writers of one digest at once end with one blob;
 *   - labels are kept as given; a blob the collector removes is gone, and can come back;
 *   - an image record written by `Images.Create` is read back by `Images.Get` and `Images.List`;
 *   - `Content.Read` answers a committed blob; `Images.Delete` removes a name, and when it is
 *     synchronous the collector takes the blobs no other name (and no lease) still needs.
 *
 * The factory must give an empty store of its own (a temporary root in real mode).
 */
export interface ContentAdapter {
  effects: Record<
    'writeContent' | 'storeImage' | 'readImage' | 'readImages' | 'readContent' | 'removeImage',
    AnyActorLogic
  >;
  /** The query view the machines read (real: the engine store's in-memory index). */
  view: ContentStore;
  /**
   * What the registry's transfer leaves for `Content.Write` to commit: the bytes streamed into
   * the store and checked against the digest and size (real), or nothing (the simulation's
   * registry answers with sizes and digests, not bytes).
   */
  transfer(digest: string, size: number, bytes: Buffer | AsyncIterable<Buffer>): Promise<void>;
  /** A manifest the registry answered, which `Images.Create` stores with the record (real). */
  fetched(bytes: Buffer, mediaType: string): void;
  /** The collector's removal of a blob nothing refers to any more. */
  remove(digest: string): Promise<boolean>;
  /** Writes in progress or left behind (real: ingest dirs); none may outlive its write. */
  ingests(): string[];
  /** The operation that wrote so far ends, and its lease with it (real: its session finishes). */
  endOperation(): Promise<void>;
}

export function describeContentStoreContract<A extends ContentAdapter>(
  name: string,
  factory: Factory<A>,
  options?: ContractOptions<A>,
): void {
  defineContract('ContentStore', name, factory, options, (cases) => {
    cases.group('commit and lookup', () => commitCases(cases));
    cases.group('verification', () => verifyCases(cases));
    cases.group('visibility', () => visibilityCases(cases));
    cases.group('concurrent writers', () => concurrentCases(cases));
    cases.group('remove', () => removeCases(cases));
    cases.group('addressing', () => addressingCases(cases));
    cases.group('image records', () => imageCases(cases));
    cases.group('read and delete', () => readDeleteCases(cases));
  });
}

const CONFIG = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
const OTHER = '{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
const LAYER = Buffer.from('contract layer bytes (a tar+gzip stand-in)\n');
const LAYER_DIGEST = sha256(LAYER.toString('utf8'));

let requests = 0;

async function run<T>(a: ContentAdapter, effect: keyof ContentAdapter['effects'], input: object): Promise<T> {
  // Heard before it starts: a simulated effect is done (or failed) as it is created.
  const actor = createActor(a.effects[effect], { input: { requestId: ++requests, ...input } });
  const outcome = toPromise(actor);
  actor.start();
  return (await outcome) as T;
}

/** `Content.Write` as the machines send it: a config as text, a layer by digest and size. */
function write(
  a: ContentAdapter,
  p: Omit<WriteContentInput, 'requestId' | 'content' | 'labels'> & { labels?: Record<string, string> },
): Promise<ContentEvidence> {
  return run<ContentEvidence>(a, 'writeContent', { labels: {}, ...p, content: a.view });
}

const writeText = (a: ContentAdapter, text: string, labels: Record<string, string> = {}) =>
  write(a, { digest: sha256(text), size: utf8Length(text), text, labels });

async function refused(work: Promise<unknown>): Promise<boolean> {
  return work.then(
    () => false,
    () => true,
  );
}

const digests = (view: ContentStore): string[] => view.list().map((b) => b.digest);

function commitCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('a new store holds no blob', ({ view }) => {
    expect(view.list()).toEqual([]);
    expect(view.has(sha256(CONFIG))).toBe(false);
    expect(view.info(sha256(CONFIG))).toBeUndefined();
  });

  cases.it('a config written as text is visible with its digest, size and path', async (a) => {
    const digest = sha256(CONFIG);
    const evidence = await writeText(a, CONFIG);
    expect(evidence).toEqual({ digest, size: utf8Length(CONFIG), path: a.view.pathOf(digest) });
    expect(a.view.has(digest)).toBe(true);
    expect(a.view.info(digest)).toMatchObject({ digest, size: utf8Length(CONFIG) });
    expect(a.view.list()).toMatchObject([{ digest, size: utf8Length(CONFIG) }]);
  });

  cases.it('a layer the transfer brought is committed by Content.Write', async (a) => {
    await a.transfer(LAYER_DIGEST, LAYER.length, LAYER);
    const evidence = await write(a, { digest: LAYER_DIGEST, size: LAYER.length });
    expect(evidence).toEqual({ digest: LAYER_DIGEST, size: LAYER.length, path: a.view.pathOf(LAYER_DIGEST) });
    expect(a.view.info(LAYER_DIGEST)?.size).toBe(LAYER.length);
  });

  cases.it('labels are kept as given', async (a) => {
    const labels = {
      'containerd.io/uncompressed': sha256('layer tar'),
      'containerd.io/distribution.source.docker.io': 'library/busybox',
    };
    await writeText(a, CONFIG, labels);
    expect(a.view.info(sha256(CONFIG))?.labels).toEqual(labels);
    expect(a.view.list()[0]?.labels).toEqual(labels);
  });

  cases.it('the empty blob (size 0) can be committed', async (a) => {
    // buildkit's empty layer and empty JSON objects are real, zero- or few-byte blobs.
    const evidence = await writeText(a, '');
    expect(evidence).toMatchObject({ digest: sha256(''), size: 0 });
    expect(a.view.info(sha256(''))?.size).toBe(0);
  });

  cases.it('committing a digest that is there already is done and keeps one blob', async (a) => {
    const first = await writeText(a, CONFIG);
    const second = await writeText(a, CONFIG);
    expect(second).toEqual(first);
    expect(digests(a.view)).toEqual([sha256(CONFIG)]);
  });

  cases.it('blobs are independent: each has its own size', async (a) => {
    await writeText(a, CONFIG);
    await writeText(a, `${OTHER}\n`);
    await a.transfer(LAYER_DIGEST, LAYER.length, LAYER);
    await write(a, { digest: LAYER_DIGEST, size: LAYER.length });
    expect(new Set(digests(a.view))).toEqual(new Set([sha256(CONFIG), sha256(`${OTHER}\n`), LAYER_DIGEST]));
    expect(a.view.info(sha256(`${OTHER}\n`))?.size).toBe(utf8Length(OTHER) + 1);
    for (const blob of a.view.list()) expect(a.view.info(blob.digest)).toEqual(blob);
  });
}

function verifyCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('a text whose digest lies is refused and nothing is visible', async (a) => {
    const lie = sha256(OTHER);
    expect(await refused(write(a, { digest: lie, size: utf8Length(CONFIG), text: CONFIG }))).toBe(true);
    expect(a.view.has(lie)).toBe(false);
    expect(a.view.list()).toEqual([]);
    expect(a.ingests()).toEqual([]);
  });

  cases.it('a text whose size lies (short or long) is refused and nothing is visible', async (a) => {
    const digest = sha256(CONFIG);
    for (const size of [utf8Length(CONFIG) - 1, utf8Length(CONFIG) + 1]) {
      expect(await refused(write(a, { digest, size, text: CONFIG })), `size ${size}`).toBe(true);
      expect(a.view.has(digest)).toBe(false);
    }
    expect(a.view.list()).toEqual([]);
    expect(a.ingests()).toEqual([]);
  });

  cases.it('a transfer whose bytes lie is refused, and Content.Write then finds nothing', async (a) => {
    const forged = Buffer.from(LAYER);
    forged[0] = 0x00;
    expect(await refused(a.transfer(LAYER_DIGEST, LAYER.length, forged))).toBe(true);
    expect(await refused(a.transfer(LAYER_DIGEST, LAYER.length + 1, LAYER))).toBe(true);
    expect(a.view.has(LAYER_DIGEST)).toBe(false);
    expect(a.ingests()).toEqual([]);
    expect(await refused(write(a, { digest: LAYER_DIGEST, size: LAYER.length }))).toBe(true);
    expect(a.view.list()).toEqual([]);
  });
}

function visibilityCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('a blob being written is not visible until its write is committed', async (a) => {
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let halfway: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (halfway = resolve));
    async function* slowly(): AsyncIterable<Buffer> {
      yield LAYER.subarray(0, 10);
      halfway();
      await paused;
      yield LAYER.subarray(10);
    }
    const transfer = a.transfer(LAYER_DIGEST, LAYER.length, slowly());
    await reached;
    expect(a.view.has(LAYER_DIGEST)).toBe(false);
    expect(a.view.list()).toEqual([]);
    resume();
    await transfer;
    expect(await write(a, { digest: LAYER_DIGEST, size: LAYER.length })).toMatchObject({
      digest: LAYER_DIGEST,
      size: LAYER.length,
    });
    expect(a.view.has(LAYER_DIGEST)).toBe(true);
  });
}

function concurrentCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('writers of one digest at once all succeed with one blob', async (a) => {
    const digest = sha256(CONFIG);
    const all = await Promise.all(Array.from({ length: 4 }, () => writeText(a, CONFIG)));
    for (const evidence of all)
      expect(evidence).toEqual({ digest, size: utf8Length(CONFIG), path: a.view.pathOf(digest) });
    expect(digests(a.view)).toEqual([digest]);
    expect(a.ingests()).toEqual([]);
  });

  cases.it('transfers of one digest at once end with one blob', async (a) => {
    await Promise.all(Array.from({ length: 3 }, () => a.transfer(LAYER_DIGEST, LAYER.length, LAYER)));
    await Promise.all(
      Array.from({ length: 3 }, () => write(a, { digest: LAYER_DIGEST, size: LAYER.length })),
    );
    expect(a.view.list()).toMatchObject([{ digest: LAYER_DIGEST, size: LAYER.length }]);
    expect(a.ingests()).toEqual([]);
  });

  cases.it('a lying writer does not spoil an honest one of the same digest', async (a) => {
    const digest = sha256(CONFIG);
    const [lie, honest] = await Promise.all([
      refused(write(a, { digest, size: utf8Length(CONFIG), text: OTHER })),
      refused(writeText(a, CONFIG)),
    ]);
    expect({ lie, honest }).toEqual({ lie: true, honest: false });
    expect(a.view.info(digest)?.size).toBe(utf8Length(CONFIG));
    expect(a.ingests()).toEqual([]);
  });
}

function removeCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('a removed blob is gone from the view, and only it', async (a) => {
    await writeText(a, CONFIG);
    await writeText(a, OTHER);
    expect(await a.remove(sha256(CONFIG))).toBe(true);
    expect(a.view.has(sha256(CONFIG))).toBe(false);
    expect(a.view.info(sha256(CONFIG))).toBeUndefined();
    expect(digests(a.view)).toEqual([sha256(OTHER)]);
  });

  cases.it('removing a blob that is not there says so', async (a) => {
    expect(await a.remove(sha256(CONFIG))).toBe(false);
    await writeText(a, CONFIG);
    await a.remove(sha256(CONFIG));
    expect(await a.remove(sha256(CONFIG))).toBe(false);
  });

  cases.it('a removed blob can be written again', async (a) => {
    await writeText(a, CONFIG);
    await a.remove(sha256(CONFIG));
    expect(await writeText(a, CONFIG)).toMatchObject({ digest: sha256(CONFIG), size: utf8Length(CONFIG) });
    expect(a.view.has(sha256(CONFIG))).toBe(true);
  });
}

function addressingCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('pathOf is <root>/blobs/sha256/<hex> under an absolute root', ({ view }) => {
    const [a, b] = [sha256(CONFIG), sha256(OTHER)];
    const [pathA, pathB] = [view.pathOf(a), view.pathOf(b)];
    expect(pathA.startsWith('/')).toBe(true);
    expect(pathA.endsWith(`/blobs/sha256/${a.slice('sha256:'.length)}`)).toBe(true);
    // Same root for every blob: only the last path element differs.
    expect(pathA.slice(0, pathA.lastIndexOf('/'))).toBe(pathB.slice(0, pathB.lastIndexOf('/')));
  });

  cases.it('Content.Write refuses a digest that is not sha256:<64 lowercase hex>', async (a) => {
    // containerd's local store validates every digest before it touches a path
    // (blobPath: "cannot calculate blob path from invalid digest", ErrInvalidArgument).
    const hex = sha256(CONFIG).slice('sha256:'.length);
    for (const digest of [
      hex,
      `sha256:${hex.slice(0, 63)}`,
      `sha256:${hex.toUpperCase()}`,
      `sha256:${'z'.repeat(64)}`,
      'sha256:',
      '',
      `sha256:../../${hex.slice(6)}`,
    ]) {
      expect(
        await refused(write(a, { digest, size: utf8Length(CONFIG), text: CONFIG })),
        JSON.stringify(digest),
      ).toBe(true);
    }
    expect(a.view.list()).toEqual([]);
    expect(a.ingests()).toEqual([]);
  });
}

/** An image with no layers whose config and manifest are real documents. */
function imageOf(name: string, config: string): { image: CtrdImage; manifest: Buffer } {
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const configRef = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: sha256(config),
    size: utf8Length(config),
  };
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType, config: configRef, layers: [] }),
  );
  const digest = sha256(manifest.toString('utf8'));
  const image: CtrdImage = {
    name,
    target: { mediaType, digest, size: manifest.length },
    manifestDigest: digest,
    configDigest: configRef.digest,
    config,
    layers: [],
    createdMs: 0,
  };
  return { image, manifest };
}

/** `Images.Create` after its config, as a pull does, kept in the machine's table when done (imageStored). */
async function storeImage(
  a: ContentAdapter,
  table: Map<string, CtrdImage>,
  name: string,
  config: string,
): Promise<CtrdImage> {
  const { image, manifest } = imageOf(name, config);
  a.fetched(manifest, image.target.mediaType);
  await writeText(a, config);
  await run(a, 'storeImage', { image } satisfies Omit<StoreImageInput, 'requestId'>);
  table.set(name, image);
  return image;
}

const recordOf = ({ createdMs: _createdMs, ...image }: CtrdImage) => image;

function imageCases(cases: ContractCases<ContentAdapter>): void {
  cases.it('an image record is read back by name and listed', async (a) => {
    const table = new Map<string, CtrdImage>();
    const image = await storeImage(a, table, 'docker.io/library/contract:latest', CONFIG);
    const got = await run<CtrdImage | null>(a, 'readImage', {
      name: image.name,
      images: Object.fromEntries(table),
    } satisfies Omit<ReadImagesInput, 'requestId'>);
    expect(got && recordOf(got)).toEqual(recordOf(image));
    const all = await run<CtrdImage[]>(a, 'readImages', { images: Object.fromEntries(table) });
    expect(all.map(recordOf)).toEqual([recordOf(image)]);
  });

  cases.it('Images.Get of a name that is not stored answers nothing', async (a) => {
    const table = new Map<string, CtrdImage>();
    expect(
      await run(a, 'readImage', {
        name: 'docker.io/library/absent:latest',
        images: Object.fromEntries(table),
      }),
    ).toBeNull();
    await storeImage(a, table, 'docker.io/library/contract:latest', CONFIG);
    expect(
      await run(a, 'readImage', {
        name: 'docker.io/library/contract:other',
        images: Object.fromEntries(table),
      }),
    ).toBeNull();
  });

  cases.it('storing a name again points it at the new image', async (a) => {
    const table = new Map<string, CtrdImage>();
    await storeImage(a, table, 'docker.io/library/contract:latest', CONFIG);
    const second = await storeImage(a, table, 'docker.io/library/contract:latest', OTHER);
    const got = await run<CtrdImage | null>(a, 'readImage', {
      name: second.name,
      images: Object.fromEntries(table),
    });
    expect(got?.configDigest).toBe(sha256(OTHER));
    expect(
      (await run<CtrdImage[]>(a, 'readImages', { images: Object.fromEntries(table) })).map((i) => i.name),
    ).toEqual([second.name]);
  });
}

/** `Images.Delete` as dockerd asks it (synchronous: the collector runs first), kept in the table as imageRemoved does. */
async function deleteImage(
  a: ContentAdapter,
  table: Map<string, CtrdImage>,
  name: string,
): Promise<RemoveImageEvidence> {
  const evidence = await run<RemoveImageEvidence>(a, 'removeImage', {
    name,
    sync: true,
    images: Object.fromEntries(table),
  } satisfies Omit<RemoveImageInput, 'requestId'>);
  table.delete(name);
  return evidence;
}

function readDeleteCases(cases: ContractCases<ContentAdapter>): void {
  cases.it(
    'Content.Read answers a committed blob’s size and path, and fails for one not there',
    async (a) => {
      await writeText(a, CONFIG);
      const read = await run<ContentEvidence>(a, 'readContent', { digest: sha256(CONFIG), content: a.view });
      expect(read).toEqual({
        digest: sha256(CONFIG),
        size: utf8Length(CONFIG),
        path: a.view.pathOf(sha256(CONFIG)),
      });
      expect(await refused(run(a, 'readContent', { digest: sha256(OTHER), content: a.view }))).toBe(true);
    },
  );

  cases.it('Images.Delete removes the name; deleting it again says it was not there', async (a) => {
    const table = new Map<string, CtrdImage>();
    const image = await storeImage(a, table, 'docker.io/library/contract:latest', CONFIG);
    expect(await deleteImage(a, table, image.name)).toMatchObject({ existed: true });
    expect(await run(a, 'readImage', { name: image.name, images: Object.fromEntries(table) })).toBeNull();
    expect(await run<CtrdImage[]>(a, 'readImages', { images: Object.fromEntries(table) })).toEqual([]);
    expect(await deleteImage(a, table, image.name)).toEqual({ existed: false });
  });

  cases.it(
    'a synchronous Images.Delete collects the blobs no other name needs, once its writer’s lease is gone',
    async (a) => {
      const table = new Map<string, CtrdImage>();
      const image = await storeImage(a, table, 'docker.io/library/contract:latest', CONFIG);
      await storeImage(a, table, 'docker.io/library/contract:again', CONFIG);
      await a.endOperation();
      // Another name still points at the same manifest: nothing goes.
      expect((await deleteImage(a, table, 'docker.io/library/contract:again')).collected?.blobs).toEqual([]);
      expect(a.view.has(sha256(CONFIG))).toBe(true);
      const last = await deleteImage(a, table, image.name);
      expect(new Set(last.collected?.blobs)).toEqual(new Set([sha256(CONFIG), image.manifestDigest]));
      expect(a.view.has(sha256(CONFIG))).toBe(false);
      expect(a.view.has(image.manifestDigest)).toBe(false);
    },
  );
}
