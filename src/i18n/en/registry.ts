import type { Catalogue } from '../index.ts';

/** The registry: the OCI distribution API over HTTPS (Docker Hub is registry-1.docker.io). */
export const registry: Catalogue = {
  'registry.get':
    'dockerd sends `{call}`: /v2/ probes the registry for authentication (classic engine), /manifests/ fetches the image’s manifest, /blobs/ its config or a layer by digest; /token goes to the token service (auth.docker.io for Docker Hub), not to the registry.',
  'registry.get.reply': 'The registry answers {status} with {size} bytes.',
  'registry.error.reply':
    'The registry answers {status}. A 401 to a request without a token is routine: it names the token service, and dockerd fetches a token there (the classic engine gets it from /v2/, Engine 29 from its first HEAD). On a manifest, 401 or 404 means no such repository or tag, or no access.',
  'registry.head':
    'dockerd sends `{call}`: does the registry already have this blob in the repository? A 200 means the push can skip it (“Layer already exists”).',
  'registry.head.reply': 'The registry answers {status}: the blob is there.',
  'registry.post':
    'dockerd sends `{call}` to open an upload session; the registry answers with a Location to send the blob to.',
  'registry.post.reply':
    'The registry answers {status}: the upload session is open, its Location names where the bytes go.',
  'registry.post.mount':
    'dockerd sends `{call}`: another repository of this registry has the blob, so it asks the registry to mount it from there instead of sending the bytes. A 201 means mounted (“Mounted from …”); otherwise the registry opens an upload session as for any POST.',
  'registry.head.manifest':
    'dockerd sends `{call}`: containerd’s pusher checks the manifest as it checks a blob. A 200 whose `Docker-Content-Digest` is this manifest’s digest means the tag already names it and nothing is sent; otherwise the manifest is PUT under the tag.',
  'registry.put.whole':
    'dockerd sends `{call}`: containerd’s pusher (Engine 29) sends the whole blob in this one request, streamed from the content store to the upload session’s Location, and `?digest=` makes the registry commit it under that sha256. There is no PATCH.',
  'registry.patch':
    'dockerd sends `{call}`: the blob’s bytes, streamed from the content store into the upload session.',
  'registry.patch.reply':
    'The registry answers {status}: it has received the bytes, and names the session’s next Location.',
  'registry.put':
    'dockerd sends `{call}`: with `?digest=` it commits an uploaded blob (the registry checks the sha256); on /manifests/ it stores the manifest under its tag.',
  'registry.put.reply': 'The registry answers {status}: stored, under the digest it computed itself.',
  // One sentence per kind of registry request and reply (src/views/registryNarration.ts).
  'registry.kind.ping':
    '{from} probes the registry at {host} with `GET /v2/`, the API version check: the answer says whether pulls need a token, and where to get one.',
  'registry.kind.ping.reply':
    'The registry answers {status} and names its token service in `WWW-Authenticate` (realm {realm}). This is routine, not a failure: {to} asks that service for a token next.',
  'registry.kind.pingOpen.reply':
    'The registry answers {status}: it speaks the v2 API and needs no token, so {to} asks for the manifest straight away.',
  'registry.kind.token':
    '{from} asks the token service {host} (not the registry) for a pull token with scope {scope}: the client builds this scope from the image name itself, and the registry serves this repository only with such a bearer token.',
  'registry.kind.token.reply':
    'The token service answers {status} with a bearer token valid for {expires} s. {to} sends it as `Authorization: Bearer …` on every following request to the registry. A token is a credential, not content: there is no digest to check.',
  'registry.kind.resolve':
    '{from} asks with `HEAD {path}` which manifest {reference} names. A HEAD answer has headers and no body: its `Docker-Content-Digest` gives the digest, and the manifest is then fetched by that digest, so the tag can move meanwhile without mixing two images.',
  'registry.kind.resolve.reply':
    'The registry answers {status} with headers only: `Docker-Content-Digest: {digest}` ({mediaType}). {to} now asks for exactly that digest.',
  'registry.kind.manifestTag':
    '{from} asks which manifest tag {reference} names, accepting a manifest list, an OCI index or a single manifest (`Accept`): a multi-platform image answers with a list of one manifest per platform.',
  'registry.kind.manifest':
    '{from} fetches the manifest {reference} by digest (the index the tag named, or its platform’s manifest): an answer whose bytes do not hash to that digest is refused.',
  'registry.kind.manifestList.reply':
    'The registry answers {status} with a manifest list ({mediaType}, {size}, digest {digest}): one manifest per platform (amd64, arm64, …). {to} picks its own platform’s and asks for it by digest.',
  'registry.kind.manifest.reply':
    'The registry answers {status} with the image manifest ({mediaType}, {size}, digest {digest}): the config blob and each layer, by digest, size and media type. {to} fetches the blobs it does not have yet.',
  'registry.kind.config':
    '{from} fetches the image config blob {reference} ({size}): the image’s settings (environment, entrypoint, command) and the diff IDs of its layers.',
  'registry.kind.config.reply':
    'The registry answers {status} with the config blob ({mediaType}, {size}, digest {digest}); its sha256 must equal the digest the manifest names.',
  'registry.kind.layer':
    '{from} fetches the layer blob {reference} ({size}, a compressed tar); layers download in parallel.',
  'registry.kind.layer.reply':
    'The registry answers {status} and streams the layer ({mediaType}, {size}, digest {digest}); the bytes are checked against this digest before they are unpacked.',
};
