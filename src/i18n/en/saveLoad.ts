import type { Catalogue } from '../index.ts';

/** `docker save`, `docker load` and `docker login` where dockerd 20.10 and the CLI differ from Engine 29's texts. */
export const saveLoad: Catalogue = {
  'cli.save.write':
    'The CLI writes the tar it received into {path}: first a temporary file beside it, renamed when the stream is complete, so a refused save leaves no file behind.',
  'storage.diff.layer':
    'dockerd 20.10 asks its layer store for the layer as a tar (TarStream): the overlay2 driver tars the layer’s diff directory, uncompressed, for the archive’s layer.tar.',
  'storage.diff.layer.reply':
    'The layer’s files, {bytes} bytes uncompressed: what a pull unpacked comes back out as a tar. Its digest is the layer’s diff id.',
  'api.images.get.classic.reply':
    'dockerd 20.10 answers {call}: a docker-archive only — each image’s config as <id>.json, each layer as <v1 id>/layer.tar, then manifest.json and repositories; no containerd is involved. Engine 29 writes an OCI image layout from containerd’s content store instead (moby daemon/containerd/image_exporter.go). One save event per image.',
  'dockerd.load.read.classic':
    'dockerd 20.10 untars the archive into a temporary directory and reads manifest.json (or, without one, the legacy repositories file): which configs, layers and tags it holds.',
  'api.images.load.classic.reply':
    'dockerd 20.10 answers {call}: each layer not yet in its layer store was registered by overlay2, the config written to its image store, the tags set; a load event per image, even for an image it already had. Engine 29 imports into containerd instead (moby daemon/containerd/image_exporter.go LoadImage).',
  'cli.login.store':
    'The registry accepted them, so the CLI stores the credentials for {server} in ~/.docker/config.json (base64, not encrypted, unless a credential helper is set) and sends them with every later push or pull. dockerd keeps none.',
};
