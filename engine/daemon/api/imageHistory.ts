// GET /images/{name}/history: `docker history`, newest first. Each config history entry is
// one row; an entry with empty_layer has size 0, the others take the next layer's size; only
// the top row carries the image id and its tags, the rest are "<missing>" (dockerd's answer
// for layers that are not images of their own, moby daemon/images/image_history.go).
import type { Call, Route } from '../context.ts';
import { sendJson } from '../http.ts';
import { configOf, layerSize, unixSeconds } from '../imageInfo.ts';
import { findImage, repoTags } from '../names.ts';

async function history(call: Call): Promise<void> {
  const { root } = call.engine;
  const found = findImage(root, call.params['name'] ?? '');
  const record = found.named ?? found.records[0];
  if (record === undefined) return;
  const config = await configOf(root, record);
  const rows: Record<string, unknown>[] = [];
  let layer = 0;
  const entries: NonNullable<typeof config.history> = config.history ?? record.layers.map(() => ({}));
  for (const h of entries) {
    const chain = h.empty_layer === true ? undefined : record.layers[layer++]?.chainId;
    rows.push({
      Comment: h.comment ?? '',
      Created: unixSeconds(h.created),
      CreatedBy: h.created_by ?? '',
      Id: '<missing>',
      Size: chain === undefined ? 0 : await layerSize(root, chain),
      Tags: null,
    });
  }
  rows.reverse();
  const top = rows[0];
  if (top !== undefined) {
    top['Id'] = found.id;
    top['Tags'] = repoTags(found.records);
  }
  sendJson(call.res, 200, rows);
}

export const routes: Route[] = [{ method: 'GET', path: '/images/{name*}/history', handler: history }];
