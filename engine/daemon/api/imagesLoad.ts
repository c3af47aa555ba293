// POST /images/load?quiet: `docker load`, the tarball in the body (archive/load.ts). The answer
// is a JSON message stream of `{"stream":"Loaded image: busybox:latest\n"}` lines ("Loaded
// image ID: sha256:…" for an image without a name), one `load` event per image (moby
// image/tarexport/load.go). dockerd answers 200 before it reads the archive, so a broken one is
// an error line in the stream (measured on dockerd 20.10: an empty body gives 200 and
// `{"errorDetail":{"message":"open …/repositories: no such file or directory"},…}`).
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Call, Route } from '../context.ts';
import { MessageStream } from '../http.ts';
import { familiar } from '../names.ts';
import { extractArchive } from '../archive/extract.ts';
import { loadArchive } from '../archive/load.ts';

const MAX_ARCHIVE = 16 * 1024 ** 3;

async function load(call: Call): Promise<void> {
  const stream = new MessageStream(call.res);
  stream.begin();
  const dir = await mkdtemp(join(call.engine.tmpDir, 'load-'));
  try {
    await extractArchive(call.req, dir, MAX_ARCHIVE);
    const loaded = await loadArchive(call.engine.root, dir);
    for (const image of loaded) {
      if (image.names.length === 0) stream.write({ stream: `Loaded image ID: ${image.id}\n` });
      for (const name of image.names) stream.write({ stream: `Loaded image: ${familiar(name)}\n` });
      // The image id for both actor and name, whatever names came with it (moby
      // image/tarexport/load.go: LogImageEvent(imgID, imgID, "load"); measured on dockerd 20.10).
      call.engine.events.image('load', image.id, image.id);
    }
    stream.end();
  } catch (error) {
    call.req.resume();
    stream.end(error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const routes: Route[] = [{ method: 'POST', path: '/images/load', handler: load }];
