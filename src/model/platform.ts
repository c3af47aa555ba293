import type { Participant } from './participants.ts';

/**
 * Where Docker runs.
 *
 * - `linux`: the docker CLI and dockerd share one Linux host; the CLI talks to dockerd's own
 *   socket, a bind mount's source is a path on that host, and a published port is a DNAT rule
 *   on that host.
 * - `desktop`: Docker Desktop on a Mac. The CLI runs on macOS; the Engine runs inside a Linux VM.
 *   Docker Desktop's backend process on the host (`com.docker.backend`) owns the socket the CLI
 *   uses and forwards the Engine API into the VM, shares host directories into the VM, and
 *   listens on published ports on the host.
 *   https://docs.docker.com/desktop/features/networking/ ,
 *   https://docs.docker.com/desktop/setup/install/mac-permission-requirements/
 */
export type Platform = 'linux' | 'desktop';
export const PLATFORMS: readonly Platform[] = ['linux', 'desktop'];

/**
 * The docker context the CLI uses on each platform (`docker context ls`): its name, the socket
 * it connects to, and the participant that owns that socket. This table is the only place that
 * says who receives the CLI's requests.
 */
export interface DockerContext {
  name: string;
  host: string;
  /** Who accepts connections on `host`. */
  endpoint: Participant;
  /** Said on the CLI's first request where the platform differs from a Linux host. */
  fidelity?: string;
}

export const DOCKER_CONTEXTS: Readonly<Record<Platform, DockerContext>> = {
  linux: { name: 'default', host: 'unix:///var/run/docker.sock', endpoint: 'dockerd' },
  // Docker Desktop sets the current context to desktop-linux at startup; the socket is the
  // user's own (the /var/run/docker.sock symlink to it is an opt-in setting).
  desktop: {
    name: 'desktop-linux',
    host: 'unix:///Users/me/.docker/run/docker.sock',
    endpoint: 'VM',
    fidelity: 'fidelity.desktopSocket',
  },
};
