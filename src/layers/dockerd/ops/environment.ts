import { short } from '../../post.ts';
import type { ContainerRecord } from '../records.ts';

/** The PATH dockerd gives a Linux container that sets none (moby oci.DefaultPathEnv). */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment of a container's process and of every exec in it: PATH and HOSTNAME (and TERM
 * with a TTY) first, then the container's own Config.Env, which replaces a key it repeats (moby
 * v20.10.24 container/container.go CreateDaemonEnvironment, ReplaceOrAppendEnvValues; used by
 * daemon/oci_linux.go for the init and daemon/exec.go for an exec). `docker inspect` shows
 * Config.Env without them.
 */
export function daemonEnvironment(c: ContainerRecord, tty = false): string[] {
  const env = [DEFAULT_PATH, `HOSTNAME=${short(c.id)}`, ...(tty ? ['TERM=xterm'] : [])];
  for (const entry of c.env) {
    const key = entry.split('=')[0] ?? entry;
    const at = env.findIndex((e) => (e.split('=')[0] ?? e) === key);
    if (at >= 0) env[at] = entry;
    else env.push(entry);
  }
  return env;
}
