import { familiarName } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { listImages, lookupImage } from './imageLookup.ts';
import { apiRequest } from './request.ts';

/** `GET /images/json`: v29 asks containerd's image service, classic reads dockerd's own store. */
export function* imageList(d: Daemon, req: Message): OperationProgram {
  const images = yield* listImages(d);
  const list: JsonObject[] = images.map((r) => ({
    Id: r.id,
    ParentId: '',
    RepoTags: [familiarName(r.name)],
    RepoDigests: [`${familiarName(r.name).replace(/:[^:/]*$/, '')}@${r.repoDigest}`],
    Created: Math.floor(Date.parse(r.config.created ?? '1970-01-01T00:00:00Z') / 1000),
    Size: r.layers.reduce((n, l) => n + l.uncompressedSize, 0),
    SharedSize: -1,
    Labels: r.config.config?.Labels ?? {},
    Containers: -1,
  }));
  d.reply(req, 200, list, { params: { count: list.length } });
}

/** `GET /images/{name}/history`: the config's history, newest first, layers matched to entries. */
export function* imageHistory(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const image = yield* lookupImage(d, target);
  if (!image) return d.error(req, 404, `No such image: ${target}`);
  const history = image.config.history ?? [];
  let layer = 0;
  const items: JsonObject[] = history.map((h, i) => {
    const size = h.empty_layer ? 0 : (image.layers[layer++]?.uncompressedSize ?? 0);
    return { Id: i === history.length - 1 ? image.id : '<missing>', Created: Math.floor(Date.parse(h.created ?? '1970-01-01T00:00:00Z') / 1000), CreatedBy: h.created_by ?? '', Tags: i === history.length - 1 ? [familiarName(image.name)] : null, Size: size, Comment: h.comment ?? '' };
  });
  d.reply(req, 200, items.reverse(), { params: { count: items.length } });
}

/** `GET /images/{name}/json`. */
export function* imageInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const image = yield* lookupImage(d, target);
  if (!image) return d.error(req, 404, `No such image: ${target}`);
  d.reply(req, 200, {
    Id: image.id,
    RepoTags: [familiarName(image.name)],
    RepoDigests: [`${familiarName(image.name).replace(/:[^:/]*$/, '')}@${image.repoDigest}`],
    Created: image.config.created ?? '',
    Config: (image.config.config ?? {}) as JsonObject,
    Architecture: image.config.architecture,
    Os: image.config.os,
    Size: image.layers.reduce((n, l) => n + l.uncompressedSize, 0),
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
  });
}
