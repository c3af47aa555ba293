// `docker import`'s real work (src/layers/dockerd/ops/imageImport.ts `importLayer`), as dockerd does
// it in its own process (moby v20.10.24 daemon/images/image_import.go ImportImage, Engine 29's
// daemon/containerd/image_import.go saveArchive): the tar — the request's body, or what an http(s)
// URL answers — is written under the engine's temporary directory as it comes (bounded), hashed
// (the blob's digest, as containerd stores it: gzip stays gzip), then read once more uncompressed
// for its diff id, and its structure checked by the engine's tar reader, so a body that is no tar
// is refused with dockerd's words before anything is stored. The file is the blob the machines'
// Content.Write ingests (session.archiveFiles); unpacking it is the Storage participant's
// Diff.Apply, which resolves every entry inside the new layer (engine/image/unpack).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MEDIA_TYPES } from '../../src/model/image.ts';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { TarReader } from '../image/archive/reader.ts';
import { hostPlatform } from '../image/platform.ts';
import type { RealWorks } from './archive.ts';
import type { RealSession } from './session.ts';

/** The largest tar an import takes, as sent and once uncompressed. */
const MAX_SENT = 16 * 1024 ** 3;
const MAX_UNCOMPRESSED = 64 * 1024 ** 3;

/** dockerd's refusal of what it fetched or read: its text and HTTP status. */
const refusal = (refused: string, code: number): WorkPayload => ({ refused, code });

/** The URL's body, or dockerd's refusal of its answer (moby pkg/...remotes GetWithStatusError). */
async function fetchSource(session: RealSession, url: string): Promise<Readable | WorkPayload> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refusal(`parse ${JSON.stringify(url)}: invalid URL`, 400);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return refusal(`unsupported protocol scheme ${JSON.stringify(parsed.protocol.slice(0, -1))}`, 400);
  const res = await fetch(url, { signal: session.aborter.signal, redirect: 'follow' });
  if (res.status >= 400) {
    const text = (await res.text()).trim();
    return refusal(
      `failed to GET ${url} with status ${res.status} ${res.statusText}: ${text}`,
      res.status === 404 ? 404 : res.status === 400 ? 400 : 500,
    );
  }
  if (res.body === null) return Readable.from([]);
  // The `Downloading from` line is the operation's; the CLI shows no `Importing` progress off a terminal.
  return Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
}

/** Writes `source` to `file`: the sha256 and size of what came, refused past MAX_SENT. */
async function save(source: Readable, file: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > MAX_SENT) throw new Error(`the tar to import is larger than ${MAX_SENT} bytes`);
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(file, { mode: 0o600 }),
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function isGzip(file: string): Promise<boolean> {
  const fd = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fd.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fd.close();
  }
}

/** The uncompressed tar's diff id and size, its structure read through; Go's words when it is no tar. */
async function diffIdOf(file: string, gzip: boolean): Promise<{ diffId: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const reader = new TarReader({ entry: () => undefined, data: () => undefined, done: () => undefined });
  const source = gzip ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_UNCOMPRESSED)
        throw new Error(`the tar to import is larger than ${MAX_UNCOMPRESSED} bytes once uncompressed`);
      hash.update(chunk);
      reader.write(chunk);
    }
    reader.end();
  } catch (error) {
    const truncated = error instanceof Error && /truncated|unexpected end/i.test(error.message);
    throw new Error(
      `Error processing tar file(exit status 1): ${truncated ? 'unexpected EOF' : 'archive/tar: invalid tar header'}`,
      { cause: error },
    );
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

async function importLayer(session: RealSession, input: WorkPayload): Promise<WorkPayload> {
  const src = String(input.src ?? '-');
  const dir = await mkdtemp(join(session.tmpDir ?? tmpdir(), 'import-'));
  session.onFinish(() => rm(dir, { recursive: true, force: true }));
  let source: Readable | WorkPayload;
  if (src === '-') {
    if (session.body === undefined) throw new Error('import from -: the request has no body');
    source = session.body;
  } else source = await fetchSource(session, src);
  if (!(source instanceof Readable)) return source;
  const file = join(dir, 'layer');
  const sent = await save(source, file);
  const gzip = await isGzip(file);
  const { diffId, size } = sent.size === 0 ? { diffId: sent.digest, size: 0 } : await diffIdOf(file, gzip);
  session.archiveFiles.set(sent.digest, file);
  return {
    digest: sent.digest,
    size: sent.size,
    diffId,
    mediaType: gzip ? MEDIA_TYPES.ociLayer : MEDIA_TYPES.ociLayerUncompressed,
    uncompressedSize: size,
    architecture: hostPlatform().architecture,
  };
}

export function realImportWorks(): RealWorks {
  return { importLayer };
}
