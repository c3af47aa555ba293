// A push of a stored image, as `docker push` does it with the classic store: every layer
// blob, then the config, then the platform manifest under the tag (registry/push.ts has the
// protocol). Blobs come straight from the content store's files; a layer already in the
// destination repository is skipped after a HEAD, and one in another repository of the same
// registry (where the image was pulled from) is mounted instead of uploaded.
import { shortId } from './digest.ts';
import { ImageError } from './errors.ts';
import type { Descriptor } from './oci.ts';
import type { ProgressSink } from './progress.ts';
import { formatReference, parseReference, registryHost } from './reference.ts';
import type { Credentials } from './registry/auth.ts';
import { RegistryClient } from './registry/client.ts';
import { putManifest, uploadBlob } from './registry/push.ts';
import type { RecordSink } from './registry/trace.ts';
import type { ImageRoot } from './root.ts';
import { mapLimit } from './singleflight.ts';

export interface PushOptions {
  credentials?: Credentials;
  /** Bytes per PATCH; 0 or absent: one PUT per blob. */
  chunkSize?: number;
  /** Try cross-repository mounts from the repository the image came from (default true). */
  mount?: boolean;
  concurrency?: number;
  timeoutMs?: number;
  onRecord?: RecordSink;
  onProgress?: ProgressSink;
}

export interface PushResult {
  name: string;
  digest: string;
  size: number;
  blobs: Record<string, 'exists' | 'mounted' | 'uploaded'>;
}

/** One blob to the destination, with docker's progress words ("Layer already exists", "Mounted from"). */
function blobSender(
  root: ImageRoot,
  client: RegistryClient,
  repository: string,
  mountFrom: string | undefined,
  options: PushOptions,
  blobs: PushResult['blobs'],
): (desc: Descriptor) => Promise<void> {
  return async (desc) => {
    const id = shortId(desc.digest);
    options.onProgress?.({ kind: 'layer', id, status: 'Preparing' });
    const result = await uploadBlob(
      client,
      repository,
      { desc, path: root.content.path(desc.digest) },
      { chunkSize: options.chunkSize, mountFrom },
    );
    blobs[desc.digest] = result;
    const status =
      result === 'exists' ? 'Layer already exists' : result === 'mounted' ? 'Mounted from' : 'Pushed';
    options.onProgress?.({
      kind: 'layer',
      id,
      status,
      ...(result === 'mounted' ? { detail: mountFrom } : {}),
    });
  };
}

/** Pushes the local image `source` to `destination` (default: the same name). */
export async function push(
  root: ImageRoot,
  source: string,
  destination: string = source,
  options: PushOptions = {},
): Promise<PushResult> {
  const record = root.images.get(formatReference(parseReference(source)));
  if (record === undefined) throw new ImageError('not-found', `no such image: ${source}`);
  const from = parseReference(record.name);
  const dest = parseReference(destination);
  if (dest.tag === undefined) throw new ImageError('invalid', `push needs a tag: ${destination}`);
  const client = new RegistryClient({
    host: registryHost(dest.domain),
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
    onRecord: options.onRecord,
  });
  const mountFrom =
    (options.mount ?? true) && from.domain === dest.domain && from.path !== dest.path ? from.path : undefined;
  const blobs: PushResult['blobs'] = {};
  const send = blobSender(root, client, dest.path, mountFrom, options, blobs);
  const release = root.lease([
    record.manifest.digest,
    record.config.digest,
    ...record.layers.map((l) => l.digest),
  ]);
  try {
    await mapLimit(record.layers, options.concurrency ?? 5, (layer) => send(layer));
    await send(record.config);
    const bytes = await root.content.readBytes(record.manifest.digest);
    const digest = await putManifest(client, dest.path, dest.tag, bytes, record.manifest.mediaType);
    if (digest !== record.manifest.digest)
      throw new ImageError(
        'digest-mismatch',
        `registry ${client.host} named the manifest ${digest}, expected ${record.manifest.digest}`,
      );
    options.onProgress?.({
      kind: 'done',
      name: formatReference(dest),
      digest,
      status: `${dest.tag}: digest: ${digest} size: ${bytes.length}`,
    });
    return { name: formatReference(dest), digest, size: bytes.length, blobs };
  } finally {
    release();
  }
}
