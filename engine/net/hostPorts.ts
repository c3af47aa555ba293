// A published port must be free on the host: Engine 28+ binds it itself before programming the
// DNAT rule (moby docker-v29.0.0 libnetwork/portallocator/osallocator_linux.go: "failed to bind
// host port %s/%s: %w"). The engine binds it the same way and lets it go at once: the DNAT rule
// takes the traffic from then on, before any socket would see it.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { PortSpec } from './portRules.ts';

function bindTcp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

function bindUdp(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve()));
  });
}

/** Throws dockerd's words when another process holds the port (`address already in use`). */
export async function checkHostPort(port: PortSpec): Promise<void> {
  const host = port.hostIp === '' ? '0.0.0.0' : port.hostIp;
  try {
    await (port.protocol === 'udp' ? bindUdp(host, port.hostPort) : bindTcp(host, port.hostPort));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'address already in use' : (error as Error).message;
    throw new Error(`failed to bind host port ${host}:${port.hostPort}/${port.protocol}: ${why}`, {
      cause: error,
    });
  }
}
