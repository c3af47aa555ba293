import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeRegistryContract } from './registry.contract.ts';

// The catalogue is Docker Hub: the contract's default target (registry-1.docker.io, library/busybox:latest).
describeRegistryContract(
  'sim: CatalogueRegistry (simPorts().registry)',
  () => simPorts(new VirtualClock(), new SeededIds(1)).registry,
  {
    skip: {
      'a manifest request without a token is challenged for the repository’s pull scope':
        'sim bug: CatalogueRegistry checks credentials only on /v2/: GET /v2/library/busybox/manifests/latest ' +
        '(and every blob) without an Authorization header is served 200; Docker Hub answers 401 with ' +
        'WWW-Authenticate: Bearer realm=…,service=…,scope="repository:library/busybox:pull".',
      'every 401 carries a WWW-Authenticate challenge':
        'sim bug: the 401 CatalogueRegistry returns for an unknown repository (and for any path it does not ' +
        'route) has no WWW-Authenticate header; every 401 must carry one (RFC 9110 §15.5.2), Docker Hub sends ' +
        'Bearer realm=…,service=…,scope="repository:NAME:pull" (with error="insufficient_scope" when a token was sent).',
      'HEAD of a manifest gives GET’s status, digest and length, without a body':
        'sim bug: CatalogueRegistry ignores the request method: HEAD of a manifest (or of a blob, or of an ' +
        'unknown tag) returns the whole body, as GET does; a HEAD response carries headers only.',
      'every manifest the index lists is served, and every blob they reference':
        'sim bug: CatalogueRegistry serves layer blobs of linux/amd64 only: the linux/arm64 layer and the four ' +
        'in-toto layers (SBOM and provenance of each platform) that the served manifests reference are 404 ' +
        'BLOB_UNKNOWN, though the catalogue keeps `related` "so a registry can answer any digest a client asks for".',
      'a config digest is not a manifest: 404 MANIFEST_UNKNOWN':
        'sim bug: CatalogueRegistry.manifest looks a digest up in index, manifest and `related`, and `related` ' +
        'also holds configs, so GET /v2/library/busybox/manifests/<config digest> serves the linux/arm64 config ' +
        'and both attestation configs as manifests (200); only the linux/amd64 config gets 404.',
    },
  },
);
