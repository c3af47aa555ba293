import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { short } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import { IMAGE_DIRS } from './imageDirs.ts';
import { apiRequest, asMessage } from './request.ts';

/** A file written under an image's directory changes it (`C`); any other directory on the way is new (`A`). */
const IMAGE_DIR_SET = new Set(IMAGE_DIRS);

/**
 * `GET /containers/{id}/changes` (moby v20.10.24 daemon/changes.go): the storage driver's
 * Changes of the container's layer against the image (overlay2 reads the upper dir): each
 * written file and the directories above it, sorted by path, Kind 0 changed, 1 added, 2
 * deleted. A stopped container still has its layer. The simulated driver lists the files
 * written and the kinds are worked out here; real mode's walks the upper dir and gives each
 * change's kind itself (engine/real/snapshotChanges.ts). Recorded: s-top-diff.txt,
 * y-diff-export-import.txt.
 */
export function* containerChanges(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const driver = d.profile === 'classic' ? 'overlay2' : 'overlayfs';
  const reply = asMessage(
    yield d.call('Storage', 'storage.diff', `${driver} Changes(${short(c.id)}…): walk its upper dir`, {
      payload: { driver, key: c.rwKey },
    }),
  );
  const files = (((reply?.payload ?? {}) as JsonObject).changes ?? []) as { path: string; kind?: number }[];
  // A real driver walked the disk and gave each change its kind, in its own order.
  if (files.length > 0 && files.every((f) => typeof f.kind === 'number')) {
    const list = files.map((f) => ({ Path: f.path, Kind: f.kind ?? 0 }));
    return d.reply(req, 200, list, { params: { count: list.length } });
  }
  const kinds = new Map<string, number>();
  for (const { path } of files) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!kinds.has(dir)) kinds.set(dir, IMAGE_DIR_SET.has(dir) ? 0 : 1);
    }
    kinds.set(path, 1);
  }
  const list = [...kinds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([Path, Kind]) => ({ Path, Kind }));
  d.reply(req, 200, list, { params: { count: list.length } });
}
