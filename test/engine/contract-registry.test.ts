// The registry transport contract (test/contract/registry.contract.ts) against the engine's real
// transport (engine/real/registry.ts): a real docker-registry on loopback with its silly token
// auth and a small token server, holding a multi-platform image pushed by skopeo. The same cases
// the simulated catalogue answers.
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { MediaType } from '../../engine/image/oci.ts';
import { ImageRoot } from '../../engine/image/root.ts';
import { realRoundTrip } from '../../engine/real/registry.ts';
import { RealSession } from '../../engine/real/session.ts';
import { describeRegistryContract } from '../contract/registry.contract.ts';
import { realSuite } from './helpers/caps.ts';
import {
  buildLayer,
  busyboxImage,
  skopeoCopy,
  writeImage,
  writeIndex,
  writeLayoutIndex,
} from './helpers/images.ts';
import { startRegistry, startTokenServer, type Registry, type TokenServer } from './helpers/registry.ts';
import { tempDir } from './helpers/tmp.ts';

const work = tempDir('contract-registry');
let tokens: TokenServer | undefined;
let registry: Registry | undefined;
let root: ImageRoot | undefined;
const target = { host: '', repository: 'library/busybox', tag: 'latest' };
realSuite('the registry transport contract, real', ['root', 'registry', 'skopeo', 'busybox'], () => {
  beforeAll(async () => {
    tokens = await startTokenServer();
    registry = await startRegistry({ realm: tokens.realm });
    target.host = registry.host;
    const layout = join(work.path, 'layout');
    const amd64 = busyboxImage(layout);
    const arm64 = writeImage(
      layout,
      [buildLayer([{ entry: { path: 'arm' }, data: Buffer.from('arm64\n') }])],
      { os: 'linux', architecture: 'arm64' },
    );
    const attestation = writeImage(
      layout,
      [buildLayer([{ entry: { path: 'attestation.json' }, data: Buffer.from('{}') }])],
      { os: 'unknown', architecture: 'unknown' },
    );
    const index = writeIndex(layout, amd64, arm64, attestation);
    writeLayoutIndex(layout, 'multi', {
      mediaType: MediaType.ociIndex,
      digest: index.digest,
      size: index.size,
    });
    await skopeoCopy(layout, 'multi', `${registry.host}/library/busybox:latest`, { all: true });
    root = await ImageRoot.open(join(work.path, 'root'), { unpackWorkers: 0 });
  }, 120_000);
  afterAll(async () => {
    await root?.close();
    await registry?.stop();
    await tokens?.stop();
    work.remove();
  });

  describeRegistryContract(
    'real: the engine transport against docker-registry on loopback',
    () => {
      if (root === undefined) throw new Error('the root did not open');
      const session = new RealSession(root);
      return { roundTrip: (request) => realRoundTrip(session, request) };
    },
    {
      target,
      skip: {
        'a config digest is not a manifest: 404 MANIFEST_UNKNOWN':
          "Debian's docker-registry (distribution 2.8.2) answers a config blob's digest at the manifests endpoint with the blob, not 404 (measured here); Docker Hub, the case's model, answers 404",
      },
    },
  );
});
