// The embedded DNS server's socket in a container's network namespace, as dockerd 20.10 makes it
// (moby v20.10.24 libnetwork/resolver.go SetupFunc, resolver_unix.go setupIPTable): a UDP socket
// bound to 127.0.0.11 on a random port *inside* the sandbox, and two nat chains there,
// DOCKER_OUTPUT (127.0.0.11:53 DNATed to that port) and DOCKER_POSTROUTING (the answers SNATed
// back to port 53). dockerd binds it from a thread it moved into the namespace (setns); Node has
// no setns, so a short-lived helper started in the namespace (`nsenter --net=FILE node`) binds it
// and hands the socket to the engine over its IPC channel, then exits: the engine owns a socket of
// the container's namespace, the listener runs in the engine, as dockerd's does. TCP (for answers
// over 512 bytes) is not served: the names answered here fit in UDP.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:dgram';
import { run } from './exec.ts';

export const EMBEDDED_DNS = '127.0.0.11';

const HELPER = `
const s = require('node:dgram').createSocket('udp4');
s.on('error', (e) => { console.error(e.message); process.exit(1); });
s.bind(0, '${EMBEDDED_DNS}', () => process.send({ port: s.address().port }, s, () => process.exit(0)));
`;

/** A UDP socket bound to 127.0.0.11:<random port> in the namespace at `netns`. */
export function bindInNetns(netns: string): Promise<{ socket: Socket; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netns}`, process.execPath, '-e', HELPER], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('message', (msg: unknown, handle: unknown) => {
      const port = typeof msg === 'object' && msg !== null && 'port' in msg ? Number(msg.port) : 0;
      if (isDgram(handle) && port > 0) resolve({ socket: handle, port });
      else reject(new Error(`embedded dns in ${netns}: no socket from the helper`));
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`embedded dns in ${netns}: helper exit ${code}: ${stderr.trim()}`));
    });
  });
}

function isDgram(handle: unknown): handle is Socket {
  return typeof handle === 'object' && handle !== null && 'send' in handle && 'address' in handle;
}

/**
 * The sandbox's two nat chains and their jumps, as `iptables-restore --noflush` input: a chain it
 * names is flushed first, so a restarted engine's listener (`again`: the jumps are there) replaces
 * the last one's rules.
 */
export function resolverRules(port: number, again = false): string {
  return [
    '*nat',
    ':DOCKER_OUTPUT - [0:0]',
    ':DOCKER_POSTROUTING - [0:0]',
    ...(again
      ? []
      : [
          `-A OUTPUT -d ${EMBEDDED_DNS}/32 -j DOCKER_OUTPUT`,
          `-A POSTROUTING -d ${EMBEDDED_DNS}/32 -j DOCKER_POSTROUTING`,
        ]),
    `-A DOCKER_OUTPUT -d ${EMBEDDED_DNS}/32 -p udp -m udp --dport 53 -j DNAT --to-destination ${EMBEDDED_DNS}:${port}`,
    `-A DOCKER_POSTROUTING -s ${EMBEDDED_DNS}/32 -p udp -m udp --sport ${port} -j SNAT --to-source :53`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The rules added in the sandbox (they go with its namespace). */
export async function addResolverRules(netns: string, port: number, again = false): Promise<string> {
  const text = resolverRules(port, again);
  await run('nsenter', [`--net=${netns}`, 'iptables-restore', '-w', '--noflush'], text);
  return text;
}

/** The container's resolv.conf on a user-defined network, as dockerd 20.10 writes it (recorded: p-user-networks). */
export function embeddedResolvConf(hostText: string): string {
  const search = hostText
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([key]) => key === 'search' || key === 'domain')
    .at(-1)
    ?.slice(1);
  return [
    `nameserver ${EMBEDDED_DNS}`,
    ...(search && search.length > 0 ? [`search ${search.join(' ')}`] : []),
    'options ndots:0',
    '',
  ].join('\n');
}
