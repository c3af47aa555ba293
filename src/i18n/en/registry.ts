import type { Catalogue } from '../index.ts';

/** The registry: the OCI distribution API over HTTPS (Docker Hub is registry-1.docker.io). */
export const registry: Catalogue = {
  'registry.get':
    'dockerd sends `{call}` to the registry: /v2/ probes for authentication, /token gets a pull token, /manifests/ fetches the image’s manifest, /blobs/ its config or a layer by digest.',
  'registry.get.reply':
    'The registry answers {status} with {size} bytes; the puller (dockerd, or BuildKit for a build) checks every manifest and blob against its sha256 digest before trusting it.',
  'registry.error.reply':
    'The registry answers {status}. A 401 from /v2/ is routine: it asks for a token, which dockerd then fetches. On a manifest, 401 or 404 means no such repository or tag, or no access.',
};
