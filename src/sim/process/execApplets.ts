import type { Ctx, Program } from './driver.ts';
import { finished } from './applets.ts';
import { envValue } from './lookup.ts';
import { HOST_KERNEL, NGINX_VERSION } from './nginx.ts';

/**
 * What a learner is likely to `docker exec` in a catalogue image beyond the applets of
 * applets.ts: `ls` of the working directory, `cat` of the files docker writes, `ps`, `uname`,
 * `nginx -v`, `redis-cli ping`. An exec of anything else is not guessed at: it says it is not
 * simulated and exits (applets.ts unmodeled), so `docker exec` returns.
 */

/** `/` of the Debian bookworm based images (nginx adds its entrypoint files, redis /data). */
const DEBIAN_ROOT = [
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'lib64',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
];
export const DEBIAN_ROOTS: Record<string, string[]> = {
  nginx: [...DEBIAN_ROOT, 'docker-entrypoint.d', 'docker-entrypoint.sh'].sort(),
  redis: [...DEBIAN_ROOT, 'data'].sort(),
  debian: DEBIAN_ROOT,
  ubuntu: DEBIAN_ROOT,
};

/** A directory the image leaves empty (redis's WORKDIR /data before a save). */
const EMPTY_DIRS: Record<string, string[]> = { redis: ['/data'] };

/** `ls` of the working directory when it is `/` or known empty; undefined otherwise. */
export function lsCwd(image: string, cwd: string, root: string[] | undefined): Program | undefined {
  if (EMPTY_DIRS[image]?.includes(cwd)) return finished('ls', () => 0);
  if (cwd !== '/' || root === undefined) return undefined;
  return finished('ls', (ctx) => (ctx.write('stdout', root.map((n) => n + '\n').join('')), 0));
}

/**
 * The files docker itself writes into every container (moby daemon/container_operations_unix.go:
 * hostname from the container's hostname); other files' contents are not modelled.
 */
export function catFile(path: string): Program | undefined {
  if (path !== '/etc/hostname') return undefined;
  return finished('cat', (ctx) => (ctx.write('stdout', `${envValue(ctx.env.env, 'HOSTNAME') ?? ''}\n`), 0));
}

/** uname(1): the host's kernel, as every container shares it (uname(2) reads the host's). */
export function unameProgram(args: readonly string[]): Program | undefined {
  const fields: Record<string, (ctx: Ctx) => string> = {
    '-s': () => 'Linux',
    '-n': (ctx) => envValue(ctx.env.env, 'HOSTNAME') ?? '',
    '-r': () => HOST_KERNEL,
    '-m': () => 'x86_64',
  };
  const flags = args.length === 0 ? ['-s'] : [...args];
  if (!flags.every((f) => f in fields)) return undefined;
  return finished('uname', (ctx) => {
    ctx.write('stdout', flags.map((f) => fields[f]?.(ctx) ?? '').join(' ') + '\n');
    return 0;
  });
}

/**
 * busybox ps (procps/ps.c, the default `-o pid,user,time,args`): the container's processes in its
 * own PID namespace, all root, no CPU time worth a second yet.
 */
export function psProgram(args: readonly string[], flavor: 'busybox' | 'gnu'): Program | undefined {
  if (args.length > 0 || flavor !== 'busybox') return undefined;
  return finished('ps', (ctx) => {
    const rows = ctx.env.processes?.() ?? [];
    const lines = rows.map((p) => `${String(p.pid).padStart(5)} root      0:00 ${p.args}`);
    ctx.write('stdout', ['PID   USER     TIME  COMMAND', ...lines].join('\n') + '\n');
    return 0;
  });
}

/** `nginx -v` prints its version on stderr and exits (nginx.c ngx_show_version_info). */
export function nginxVersion(args: readonly string[]): Program | undefined {
  if (args.length !== 1 || args[0] !== '-v') return undefined;
  return finished('nginx', (ctx) => {
    const version = envValue(ctx.env.env, 'NGINX_VERSION') ?? NGINX_VERSION;
    ctx.write('stderr', `nginx version: nginx/${version}\n`);
    return 0;
  });
}

/**
 * `redis-cli ping` in the redis image: the server is the container's init on 127.0.0.1:6379, in
 * the same network namespace, and answers PONG (https://redis.io/docs/latest/commands/ping/).
 */
export function redisCli(args: readonly string[], image: string): Program | undefined {
  if (image !== 'redis' || args.length !== 1 || args[0]?.toLowerCase() !== 'ping') return undefined;
  return finished('redis-cli', (ctx) => {
    const serving = (ctx.env.processes?.() ?? []).some((p) => /\bredis-server\b/.test(p.args));
    if (serving) ctx.write('stdout', 'PONG\n');
    else ctx.write('stdout', 'Could not connect to Redis at 127.0.0.1:6379: Connection refused\n');
    return serving ? 0 : 1;
  });
}
