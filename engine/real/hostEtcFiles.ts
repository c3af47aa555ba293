// The /etc files dockerd writes for a container on the host's network, in the container's
// directory as for any other (moby container.GetRootResourcePath): `hosts` and `resolv.conf` are
// copies of the host's /etc/hosts and /etc/resolv.conf, byte for byte (libnetwork
// sandbox_dns_unix.go buildHostsFile and setupDNS with OptionOriginHostsPath and
// OptionOriginResolvConfPath, which moby v20.10.24 daemon/container_operations_unix.go sets for
// the host's network), and `hostname` holds Config.Hostname, the host's own name then (moby
// daemon/container.go newContainer: os.Hostname()). They are bind-mounted over the image's files.
// Recorded on a private dockerd 20.10.24: test/fixtures/real-engine/z2-host-inspect.txt part 1.
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EtcFiles } from '../net/index.ts';
import { withEtcMounts } from '../net/etcFiles.ts';

/**
 * A copy of the host's file's bytes, mode 0644 whatever the host's is (libnetwork copies the
 * content with its own file mode); an empty one when the host has none.
 */
async function copyOrEmpty(from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await writeFile(to, '');
  }
  await chmod(to, 0o644);
}

/** Writes the three files into `dir` (the container's directory) and answers their paths and mounts. */
export async function writeHostEtcFiles(dir: string, hostname: string, hostEtc = '/etc'): Promise<EtcFiles> {
  await mkdir(dir, { recursive: true });
  const files = {
    hostnamePath: join(dir, 'hostname'),
    hostsPath: join(dir, 'hosts'),
    resolvConfPath: join(dir, 'resolv.conf'),
  };
  await writeFile(files.hostnamePath, `${hostname}\n`, { mode: 0o644 });
  await copyOrEmpty(join(hostEtc, 'hosts'), files.hostsPath);
  await copyOrEmpty(join(hostEtc, 'resolv.conf'), files.resolvConfPath);
  return withEtcMounts(files);
}
