// The embedded DNS server of a container's sandbox, started when its first endpoint on a
// user-defined network is made (moby v20.10.24 libnetwork/sandbox_dns_unix.go startResolver,
// rebuildDNS): the listener in its namespace (engine/net/dnsListener.ts), the DNAT rules there,
// and its resolv.conf rewritten to name 127.0.0.11, in place (the bundle bind-mounts the file).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addResolverRules, bindInNetns, embeddedResolvConf } from '../net/dnsListener.ts';
import type { EndpointRecord } from '../net/store.ts';
import type { UserBridges } from './networkUser.ts';

/**
 * The listener, its rules and resolv.conf; answers the rules added (none when it was running).
 * `again`: a restarted engine serves a running container again (its jumps and file are there).
 */
export async function startResolver(
  user: UserBridges,
  e: EndpointRecord,
  containersDir: string | undefined,
  again = false,
): Promise<string[]> {
  if (user.dns.has(e.containerId)) return [];
  const { socket, port } = await bindInNetns(e.netns);
  user.dns.serve(e.containerId, socket);
  const rules = await addResolverRules(e.netns, port, again);
  if (containersDir !== undefined) {
    const hostText = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    await writeFile(join(containersDir, e.containerId, 'resolv.conf'), embeddedResolvConf(hostText)).catch(
      () => undefined,
    );
  }
  return rules
    .split('\n')
    .filter((line) => line.startsWith('-A '))
    .map((line) => `nsenter --net=${e.netns} iptables -t nat ${line}`);
}

/**
 * A restarted engine's listeners: each running container on a user-defined network is served
 * again (the last engine's sockets went with it; the namespaces and their files stayed).
 */
export async function restartResolvers(user: UserBridges): Promise<void> {
  const seen = new Set<string>();
  for (const [name, net] of user.all()) {
    if (name === 'bridge') continue;
    for (const e of Object.values(net.state?.endpoints ?? {})) {
      if (seen.has(e.containerId) || !existsSync(e.netns)) continue;
      seen.add(e.containerId);
      await startResolver(user, e, undefined, true).catch(() => undefined);
    }
  }
}
