// POST /images/load?quiet: `docker load`, the tarball in the body, served by the machines
// (gateway.ts): the dockerd machine's imageLoad operation (src/layers/dockerd/ops/imageLoad.ts)
// reads the archive (its real `readArchive` work, engine/real/archive.ts: written out under the
// engine's temporary directory, bounded, every path checked), writes each blob with containerd's
// Content.Write (hashed on the way in), unpacks the new layers as a pull does and names the
// images with Images.Create. The answer is a JSON message stream of `{"stream":"Loaded image:
// busybox:latest\n"}` lines ("Loaded image ID: sha256:…" for an image without a name); a broken
// archive is an error line in the 200 stream, as dockerd answers (measured on dockerd 20.10).
import type { Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/images/load',
    handler: throughMachines({ op: 'api.images.load', answer: 'messages', body: true }),
  },
];
