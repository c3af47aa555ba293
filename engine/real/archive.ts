// dockerd's own work in real mode (src/layers/operation.ts `work`): what it does in its own
// process rather than by asking another layer. `readArchive` is `docker load`'s first step, as
// containerd's client Import does it inside dockerd (containerd client/import.go): the request's
// tar is written out under a temporary directory (bounded, every path checked), its
// manifest.json or index.json read, each image's manifest and config parsed and its layers
// counted (refused past dockerd's depth), and the blobs' files remembered for the content
// writes that follow. The evidence is the archive's index: the images, names and blobs it holds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveImage, ArchiveIndex } from '../../src/layers/dockerd/ops/imageLoad.ts';
import type { WorkInput, WorkPayload } from '../../src/layers/operation.ts';
import { chainIds } from '../image/digest.ts';
import { ImageError } from '../image/errors.ts';
import { parseConfig, parseJson, parseManifest, refuseDeepImage } from '../image/oci.ts';
import { extractArchive } from '../daemon/archive/extract.ts';
import { readCandidates, type Candidate } from '../daemon/archive/load.ts';
import { rootedEffect, type RootScope } from './rootedEffect.ts';
import type { RealSession } from './session.ts';

/** The largest archive `docker load` takes. */
const MAX_ARCHIVE = 16 * 1024 ** 3;

async function describe(session: RealSession, c: Candidate): Promise<ArchiveImage> {
  const m = parseManifest(parseJson(c.manifestBytes, 'manifest'), c.manifest.mediaType, 'manifest');
  refuseDeepImage(m.layers.length, 'load');
  const configPath = c.files.get(m.config.digest);
  if (configPath === undefined) throw new ImageError('invalid', `archive has no config ${m.config.digest}`);
  const configBytes = await readFile(configPath);
  const config = parseConfig(configBytes, `config ${m.config.digest}`);
  if (config.rootfs.diff_ids.length !== m.layers.length)
    throw new ImageError(
      'invalid',
      `image ${m.config.digest}: ${m.layers.length} layers but ${config.rootfs.diff_ids.length} diff ids`,
    );
  const chains = chainIds(config.rootfs.diff_ids);
  for (const [digest, path] of c.files) session.archiveFiles.set(digest, path);
  session.manifests.set(c.manifest.digest, { bytes: c.manifestBytes, mediaType: c.manifest.mediaType });
  return {
    names: c.names,
    manifest: { mediaType: c.manifest.mediaType, digest: c.manifest.digest, size: c.manifest.size },
    config: { digest: m.config.digest, size: configBytes.length, text: configBytes.toString('utf8') },
    layers: m.layers.map((l, i) => ({
      digest: l.digest,
      size: l.size,
      diffId: config.rootfs.diff_ids[i] ?? '',
      chainId: chains[i] ?? '',
    })),
  };
}

export async function readArchive(session: RealSession): Promise<ArchiveIndex> {
  if (session.body === undefined || session.tmpDir === undefined)
    throw new Error('no archive: the request has no body to load');
  const dir = await mkdtemp(join(session.tmpDir, 'load-'));
  session.onFinish(() => rm(dir, { recursive: true, force: true }));
  try {
    await extractArchive(session.body, dir, MAX_ARCHIVE);
  } finally {
    // What the reader left unread is drained, so the client is not left writing into nothing.
    session.body.resume();
  }
  const images: ArchiveImage[] = [];
  for (const c of await readCandidates(dir)) images.push(await describe(session, c));
  return { images };
}

/** The named work of dockerd's operations, real; each finds its operation's session by the request it serves. */
export type RealWorks = Record<string, (session: RealSession, input: WorkPayload) => Promise<WorkPayload>>;

/**
 * The operation's `work` actor, real. Its end is told within the request it works for
 * (rootedEffect.ts): the timer the operation arms next (a `docker stats` interval after a frame
 * is written) is that request's, and waits while it is held.
 */
export function realWork(
  sessionAt: (root: number | undefined) => RealSession,
  more: RealWorks,
  scope: RootScope,
) {
  const works: RealWorks = {
    readArchive: async (session) => ({ ...(await readArchive(session)) }),
    ...more,
  };
  const run = async (input: WorkInput): Promise<WorkPayload> => {
    const work = works[input.name];
    if (work === undefined) throw new Error(`no real work named ${input.name}`);
    const session = sessionAt(input.root);
    return session.track(work(session, input.input));
  };
  return rootedEffect<WorkInput, WorkPayload>(scope, run, (input) => input.root);
}
