// GET /version: what `docker version` prints under "Server". Only this engine's own component:
// there is no containerd or runc behind it (moby api/types/types.go Version).
import os from 'node:os';
import { hostPlatform } from '../../image/platform.ts';
import type { Call, Route } from '../context.ts';
import { sendJson } from '../http.ts';
import { API_VERSION, MIN_API_VERSION } from '../router.ts';

export const ENGINE_VERSION = '0.1.0';

function version(call: Call): void {
  const arch = hostPlatform().architecture;
  sendJson(call.res, 200, {
    Platform: { Name: 'dockstep engine' },
    Components: [
      {
        Name: 'Engine',
        Version: ENGINE_VERSION,
        Details: {
          ApiVersion: API_VERSION,
          Arch: arch,
          Experimental: 'false',
          KernelVersion: os.release(),
          MinAPIVersion: MIN_API_VERSION,
          Os: 'linux',
        },
      },
    ],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
    Arch: arch,
    KernelVersion: os.release(),
  });
}

export const routes: Route[] = [{ method: 'GET', path: '/version', handler: version }];
