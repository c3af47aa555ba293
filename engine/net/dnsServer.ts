// The embedded DNS server (moby v20.10.24 libnetwork/resolver.go ServeDNS): one socket per
// container on a user-defined network (dnsListener.ts), answered in the engine. A name of a
// container (its name, its --network-alias names, its short id) on a network the asking container
// is on gets that container's address; AAAA for such a name gets an empty answer (no IPv6 here);
// any other name is forwarded to the host's nameservers and their answer relayed.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { answer, readQuestion, TYPE_A, TYPE_AAAA } from './dnsMessage.ts';

/** The address `name` has for `containerId` on the networks it shares, if any. */
export type Lookup = (containerId: string, name: string) => string | undefined;

/** libnetwork's extIOTimeout for a forwarded query. */
const FORWARD_TIMEOUT_MS = 4000;

function hostNameservers(): string[] {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([key, addr]) => key === 'nameserver' && addr !== undefined && !addr.includes(':'))
      .map(([, addr]) => addr ?? '');
  } catch {
    return [];
  }
}

export class EmbeddedDns {
  private readonly sockets = new Map<string, Socket>();

  constructor(private readonly lookup: Lookup) {}

  /** Whether the container's sandbox has its listener. */
  has(containerId: string): boolean {
    return this.sockets.has(containerId);
  }

  /** Serves the container's queries on its socket from now on. */
  serve(containerId: string, socket: Socket): void {
    this.sockets.get(containerId)?.close();
    this.sockets.set(containerId, socket);
    socket.on('error', () => undefined);
    socket.on('message', (msg, from) => {
      const q = readQuestion(msg);
      if (q === undefined) return;
      const ip = this.lookup(containerId, q.name);
      const reply = (b: Buffer) => socket.send(b, from.port, from.address, () => undefined);
      if (ip !== undefined && q.type === TYPE_A) reply(answer(msg, q, ip));
      else if (ip !== undefined && q.type === TYPE_AAAA) reply(answer(msg, q, undefined));
      else forward(msg, reply);
    });
  }

  /** The listener goes (the container left its last user-defined network, or stopped). */
  close(containerId: string): void {
    const socket = this.sockets.get(containerId);
    this.sockets.delete(containerId);
    try {
      socket?.close();
    } catch {
      // Closed already.
    }
  }

  closeAll(): void {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }
}

/** The query, sent to the first host nameserver; its answer relayed; nothing on a timeout. */
function forward(query: Buffer, reply: (b: Buffer) => void): void {
  const [server] = hostNameservers();
  if (server === undefined) return;
  const out = createSocket('udp4');
  const timer = setTimeout(() => out.close(), FORWARD_TIMEOUT_MS);
  timer.unref();
  out.on('error', () => {
    clearTimeout(timer);
    out.close();
  });
  out.on('message', (b) => {
    clearTimeout(timer);
    out.close();
    reply(b);
  });
  out.send(query, 53, server);
}
