import { digestOf, shortId } from '../../../model/digest.ts';
import { familiarName, familiarRepository, tryParseReference } from '../../../model/image.ts';
import { archiveText, type SimArchive } from '../../../model/imageArchive.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { Effect, OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { configDigestOf, type ImageRecord } from '../records.ts';
import { normalise } from './imageLookup.ts';
import { apiRequest, asMessage } from './request.ts';

type Gen<T> = Generator<Effect, T, unknown>;

interface Chosen {
  id: string;
  records: ImageRecord[];
}

const hexOf = (digest: string): string => digest.slice(digest.indexOf(':') + 1);

/** The names the request gave (`names`, repeatable, or the path's one name). */
function askedNames(req: Message): string[] {
  const { target } = apiRequest(req);
  const listed = ((req.payload ?? {}) as JsonObject).names;
  return target !== '' ? [target] : Array.isArray(listed) ? listed.map(String) : [];
}

/**
 * `docker save` in dockerd 20.10 (moby v20.10.24 image/tarexport/save.go): a docker-archive only.
 * Per image, `<config hex>.json`; per layer a v1 directory `<v1 id>/` with `VERSION`, `json` and
 * `layer.tar`, the layer's uncompressed tar that the layer store asks the graphdriver for
 * (layer/ro_layer.go TarStream → overlay2 Diff); then `manifest.json` and `repositories`. An image
 * named by its id is saved without tags. No containerd: 20.10 keeps images itself. One `save` event
 * per image. Recorded: x-save-login.txt (the tar's listing), y-load-login.txt.
 */
export function* saveClassic(d: Daemon, req: Message, images: readonly Chosen[]): OperationProgram {
  const asked = askedNames(req).map(normalise);
  const entries: SimArchive = {};
  const manifest: JsonObject[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const image of images) {
    const first = image.records[0];
    if (first === undefined) continue;
    const v1Ids = yield* layerDirs(d, first, entries);
    const tags = image.records.filter((r) => asked.includes(r.name));
    entries[`${hexOf(configDigestOf(first))}.json`] = first.configText;
    manifest.push({
      Config: `${hexOf(configDigestOf(first))}.json`,
      RepoTags: tags.length > 0 ? tags.map((r) => familiarName(r.name)) : null,
      Layers: v1Ids.map((id) => `${id}/layer.tar`),
    });
    for (const r of tags) {
      const ref = tryParseReference(r.name);
      if (ref?.tag !== undefined)
        (repositories[familiarRepository(ref)] ??= {})[ref.tag] = v1Ids.at(-1) ?? '';
    }
  }
  entries['manifest.json'] = JSON.stringify(manifest);
  entries.repositories = JSON.stringify(repositories);
  for (const image of images) d.emit('image', 'save', image.id, { name: image.id });
  d.reply(
    req,
    200,
    { archive: { 'manifest.json': manifest, repositories }, tar: archiveText(entries) },
    { params: { count: images.length }, narration: 'api.images.get.classic.reply' },
  );
}

/**
 * Each layer's v1 directory. Its id stands for moby's v1 id (image/v1 CreateID: a digest of the
 * layer's v1 config, which names its parent): here a digest of the parent's id and the chain id.
 */
function* layerDirs(d: Daemon, image: ImageRecord, entries: SimArchive): Gen<string[]> {
  const ids: string[] = [];
  for (const layer of image.layers) {
    const v1 = hexOf(digestOf(`${ids.at(-1) ?? ''} ${layer.chainId}`));
    const reply = asMessage(
      yield d.call(
        'Storage',
        'storage.diff',
        `overlay2 Diff(${shortId(layer.chainId)}…): tar the layer → ${v1.slice(0, 12)}…/layer.tar`,
        { payload: { driver: 'overlay2', key: layer.chainId }, narration: 'storage.diff.layer' },
      ),
    );
    const bytes = Number(((reply?.payload ?? {}) as JsonObject).bytes ?? layer.size);
    entries[`${v1}/VERSION`] = '1.0';
    entries[`${v1}/json`] = JSON.stringify({ id: v1, ...(ids.length > 0 ? { parent: ids.at(-1) } : {}) });
    const size = layer.uncompressedSize || bytes;
    entries[`${v1}/layer.tar`] = { blob: { digest: layer.diffId, size, unpacked: size } };
    ids.push(v1);
  }
  return ids;
}
