import type { Catalogue } from '../index.ts';

/**
 * Docker Desktop: its backend on the host (the VM participant), which owns the CLI's socket,
 * forwards the Engine API into the Linux VM, shares host directories and publishes ports; and
 * where that differs from a Linux host.
 */
export const desktop: Catalogue = {
  'fidelity.desktopSocket':
    'On Docker Desktop this socket is not dockerd’s: the CLI’s context is desktop-linux, unix:///Users/me/.docker/run/docker.sock, and Docker Desktop’s backend process on the Mac accepts the connection. dockerd runs inside a Linux VM.',
  'vm.forward':
    'Docker Desktop’s backend (com.docker.backend) passes `{call}` on, over a host–VM socket, to dockerd’s /var/run/docker.sock inside the Linux VM. On a Linux host there is no such hop: the CLI’s socket is dockerd’s own.',
  'vm.relay.reply':
    'The backend relays dockerd’s answer, {call}, back to the CLI on the Mac. The CLI cannot tell that it was not talking to dockerd directly.',
  'vm.stream':
    'The backend copies dockerd’s {stream} frame from the VM onto the CLI’s hijacked connection on the Mac.',
  'vm.shareBinds':
    'File sharing: {source} is a path on the Mac, which dockerd in the VM cannot open as typed. It lies in a shared directory (/Users, /Volumes, /private, /tmp and /var/folders by default), which Docker Desktop mounts in the VM under /host_mnt (virtiofs by default), so the backend rewrites the bind source to {vmPath} before dockerd sees the request. On Linux the source is used as typed.',
  'vm.restorePaths':
    'The backend turns {count} path field(s) in dockerd’s answer (Mounts, HostConfig.Binds) from /host_mnt/… back into the Mac’s own path, so `docker inspect` and `docker ps` show what you typed.',
  'vm.exposePort':
    'Port forwarding: the backend now listens on the Mac’s {hostIp}:{hostPort} ({protocol}); a connection there is carried into the VM and on to the container’s port {containerPort}. On a Linux host dockerd opens the port on the host itself (an iptables DNAT rule); here that rule is inside the VM, and only the backend makes the port reachable on the Mac.',
  'vm.closePort':
    'The container is stopped or gone: the backend closes its listener on the Mac’s {hostIp}:{hostPort}.',
  'vm.mountsDenied.reply':
    'The backend answers this start itself, and dockerd never sees it: {source} is not in a shared directory, so the VM cannot see it. `Mounts denied` names the setting that would share it (Settings → Resources → File sharing).',
};
