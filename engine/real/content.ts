// The containerd participant's real content and image actions (content.Store, images.Store:
// https://github.com/containerd/containerd/blob/main/docs/content-flow.md). A layer's bytes went
// into the content store while the registry answered (registry.ts), so `Content.Write` here
// checks they are there; a config written as text is stored; `Images.Create` writes the image
// record, after the index and manifest it names, and only then answers: before that there is no
// image.
import type { AnyActorRef } from 'xstate';
import { imageServiceActions, type CtrdImage } from '../../src/layers/containerd/imageService.ts';
import type { CtrdContext } from '../../src/layers/containerd/containerdMachine.ts';
import { replyDraft } from '../../src/layers/post.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { WireEvent } from '../../src/wire/wire.ts';
import { MediaType, parseJson, parseManifest } from '../image/oci.ts';
import type { ImageRecord } from '../image/store/imageStore.ts';
import type { RealSession } from './session.ts';

type Args = { context: CtrdContext; event: WireEvent; self: AnyActorRef };

function fail(args: Args, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  args.context.wire.reply(args.event.msg, replyDraft(args.event.msg.op, `error: ${message}`, { ok: false, payload: { error: message } }));
}

async function writeContent(session: RealSession, p: JsonObject): Promise<void> {
  const digest = String(p.digest);
  if (typeof p.text === 'string') {
    await session.root.content.put({ mediaType: MediaType.ociConfig, digest, size: Number(p.size) }, Buffer.from(p.text, 'utf8'));
  } else if (!(await session.root.content.has(digest))) {
    throw new Error(`content ${digest} not found: the registry's answer was not stored`);
  }
  session.holdBlob(digest);
}

/** The engine's image record for what the machines stored, from the manifest the registry gave. */
async function recordOf(session: RealSession, image: CtrdImage): Promise<ImageRecord> {
  const stored = session.manifests.get(image.manifestDigest);
  if (stored === undefined) throw new Error(`manifest ${image.manifestDigest} of ${image.name} was not fetched`);
  const manifest = parseManifest(parseJson(stored.bytes, image.name), stored.mediaType, image.name);
  for (const [digest, doc] of session.manifests) {
    if (digest !== image.target.digest && digest !== image.manifestDigest) continue;
    await session.root.content.put({ mediaType: doc.mediaType, digest, size: doc.bytes.length }, doc.bytes);
    session.holdBlob(digest);
  }
  return {
    name: image.name,
    target: { mediaType: image.target.mediaType, digest: image.target.digest, size: image.target.size },
    manifest: { mediaType: stored.mediaType, digest: image.manifestDigest, size: stored.bytes.length },
    config: manifest.config,
    layers: manifest.layers.map((l, i) => ({ ...l, diffId: image.layers[i]?.diffId ?? '', chainId: image.layers[i]?.chainId ?? '' })),
    createdAt: new Date().toISOString(),
  };
}

/** The engine's record as the machines' containerd holds an image (the config text is not needed to answer a lookup). */
function ctrdImageOf(r: ImageRecord): CtrdImage {
  const layers = r.layers.map((l) => ({ digest: l.digest, diffId: l.diffId, chainId: l.chainId, size: l.size, uncompressedSize: l.size }));
  const target = { mediaType: r.target.mediaType, digest: r.target.digest, size: r.target.size };
  return { name: r.name, target, manifestDigest: r.manifest.digest, configDigest: r.config.digest, config: '', layers, createdMs: Date.parse(r.createdAt) };
}

/** containerd's image lookups, `writeContent` and `createImage`, real; the machine's own action answers after. */
export function realContentActions(session: RealSession) {
  return {
    // Images.Get and Images.List answer from the engine's image store: a pull asks what the name pointed at before.
    getImage: (args: Args) => {
      const name = String(((args.event.msg.payload ?? {}) as JsonObject).name);
      const record = session.root.images.get(name);
      if (record !== undefined) args.context.images[name] = ctrdImageOf(record);
      imageServiceActions.getImage(args);
    },
    listImages: (args: Args) => {
      for (const record of session.root.images.list()) args.context.images[record.name] ??= ctrdImageOf(record);
      imageServiceActions.listImages(args);
    },
    writeContent: (args: Args) => {
      void session.track(writeContent(session, (args.event.msg.payload ?? {}) as JsonObject)).then(
        () => imageServiceActions.writeContent(args),
        (error: unknown) => fail(args, error),
      );
    },
    createImage: (args: Args) => {
      const image = (args.event.msg.payload ?? {}) as unknown as CtrdImage;
      void session
        .track(recordOf(session, image).then((record) => session.root.images.put(record)))
        .then(
          () => imageServiceActions.createImage(args),
          (error: unknown) => fail(args, error),
        );
    },
  };
}
