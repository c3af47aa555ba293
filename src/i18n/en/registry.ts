import type { Catalogue } from '../index.ts';

/** The registry: the OCI distribution API over HTTPS (Docker Hub is registry-1.docker.io). */
export const registry: Catalogue = {
  'registry.get':
    'dockerd sends `{call}` to the registry: /v2/ probes for authentication, /token gets a pull token, /manifests/ fetches the image’s manifest, /blobs/ its config or a layer by digest.',
  'registry.get.reply':
    'The registry answers {status} with {size} bytes; the puller (dockerd, or BuildKit for a build) checks every manifest and blob against its sha256 digest before trusting it.',
  'registry.error.reply':
    'The registry answers {status}. A 401 from /v2/ is routine: it asks for a token, which dockerd then fetches. On a manifest, 401 or 404 means no such repository or tag, or no access.',
  'registry.head':
    'dockerd sends `{call}`: does the registry already have this blob in the repository? A 200 means the push can skip it (“Layer already exists”).',
  'registry.head.reply': 'The registry answers {status}: the blob is there.',
  'registry.post':
    'dockerd sends `{call}` to open an upload session; the registry answers with a Location to send the blob to.',
  'registry.post.reply':
    'The registry answers {status}: the upload session is open, its Location names where the bytes go.',
  'registry.patch':
    'dockerd sends `{call}`: the blob’s bytes, streamed from the content store into the upload session.',
  'registry.patch.reply':
    'The registry answers {status}: it has received the bytes, and names the session’s next Location.',
  'registry.put':
    'dockerd sends `{call}`: with `?digest=` it commits an uploaded blob (the registry checks the sha256); on /manifests/ it stores the manifest under its tag.',
  'registry.put.reply': 'The registry answers {status}: stored, under the digest it computed itself.',
};
