import type { OciSpec } from '../../src/model/oci.ts';
import { simPorts } from '../../src/sim/world.ts';
import { VirtualClock } from '../../src/wire/clock.ts';
import { SeededIds } from '../../src/wire/ids.ts';
import { describeRuntimeContract, type RuntimeFixture } from './runtime.contract.ts';

/** The simulated runtime on its own virtual clock, which `advance` moves timer by timer. */
function simRuntime(): RuntimeFixture {
  const clock = new VirtualClock();
  const runtime = simPorts(clock, new SeededIds(1)).runtime;
  return {
    runtime,
    bundle(args, options) {
      const spec: OciSpec = {
        ociVersion: '1.1.0',
        process: {
          terminal: false,
          user: { uid: 0, gid: 0 },
          args,
          env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
          cwd: '/',
        },
        root: { path: 'rootfs', readonly: false },
        hostname: 'contract',
        // The simulated runtime finds the image's programs by this annotation, as dockerd sets it.
        annotations: { 'org.opencontainers.image.ref.name': 'docker.io/library/busybox:latest' },
        mounts: [],
        linux: {
          namespaces: [{ type: 'mount' }, { type: 'uts' }, { type: 'pid' }, { type: 'ipc' }],
          cgroupsPath: 'system.slice:contract',
          resources:
            options?.memoryLimitBytes === undefined ? {} : { memory: { limit: options.memoryLimitBytes } },
          maskedPaths: [],
          readonlyPaths: [],
        },
      };
      return { bundle: '/run/containerd/io.containerd.runtime.v2.task/moby/contract', spec };
    },
    async advance(ms) {
      const limit = clock.now() + ms;
      while (clock.fireNext(limit));
      clock.advanceTo(limit);
    },
  };
}

describeRuntimeContract('sim: SimRuntime (simPorts().runtime)', simRuntime);
