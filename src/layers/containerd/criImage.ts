import { familiarName, parseReference, type ImageReference } from '../../model/image.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Effect, OperationProgram } from '../operation.ts';
import { pullImage } from './criPull.ts';
import { payloadOf, type Cri, type CriImage } from './criState.ts';

/**
 * `runtime.v1.ImageService` as the CRI plugin serves it (internal/cri/server/images): ImageStatus
 * looks the name up in the plugin's in-memory image store (a missing image is an empty answer,
 * not an error); PullImage pulls with the transfer service and answers the image id, the
 * config's digest, which the kubelet then names in CreateContainer.
 */
type Gen<T> = Generator<Effect, T, unknown>;

/** The CRI normalises a name as the docker reference library does: `nginx:latest` → docker.io/library/nginx:latest. */
export function criReference(image: string): ImageReference | undefined {
  try {
    return parseReference(image);
  } catch {
    return undefined;
  }
}

export function lookup(cri: Cri, image: string): CriImage | undefined {
  const ref = criReference(image);
  return cri.state.resolve(ref?.string ?? image) ?? cri.state.resolve(image);
}

/** The runtime.v1.Image message of an ImageStatus answer. */
function imageMessage(image: CriImage): JsonObject {
  const user = image.config.config?.User ?? '';
  const uid = /^\d+/.exec(user)?.[0];
  return {
    id: image.id,
    repo_tags: image.repoTags,
    repo_digests: image.repoDigests,
    size: image.size,
    ...(uid === undefined ? { username: user.split(':')[0] ?? '' } : { uid: { value: Number(uid) } }),
  };
}

/** ImageStatusRequest and PullImageRequest carry an ImageSpec: `{image: "nginx:latest"}`. */
function imageName(req: Message): string {
  const spec = payloadOf(req).image;
  return typeof spec === 'string' ? spec : String((spec as JsonObject | null | undefined)?.image ?? '');
}

// eslint-disable-next-line require-yield -- answered from the plugin's store, with no call
export function* imageStatus(cri: Cri, req: Message): OperationProgram {
  const name = imageName(req);
  const image = lookup(cri, name);
  if (!image) {
    cri.reply(
      req,
      'OK image: null (not on this node)',
      { image: null },
      { narration: 'cri.ImageStatus.missing.reply', params: { image: name } },
    );
    return;
  }
  cri.reply(
    req,
    `OK image{id=${image.id.slice(0, 19)}…, repo_tags=[${image.repoTags.map((t) => familiarName(t)).join(' ')}]}`,
    { image: imageMessage(image) },
    { params: { image: name } },
  );
}

/** Pull unless present (the kubelet decides by its pull policy; the sandbox image by presence). */
export function* ensureImage(cri: Cri, name: string, always: boolean): Gen<CriImage | string> {
  const ref = criReference(name);
  if (!ref) return `failed to pull and unpack image "${name}": invalid reference format`;
  const present = cri.state.resolve(ref.string);
  if (present && !always) return present;
  return yield* pullImage(cri, ref);
}

export function* pullImageRpc(cri: Cri, req: Message): OperationProgram {
  const name = imageName(req);
  const result = yield* ensureImage(cri, name, true);
  if (typeof result === 'string') {
    cri.fail(
      req,
      'Unknown',
      `failed to pull and unpack image "${criReference(name)?.string ?? name}": ${result}`,
    );
    return;
  }
  cri.reply(
    req,
    `OK image_ref=${result.id.slice(0, 19)}…`,
    { image_ref: result.id },
    { params: { ref: result.id } },
  );
}
