import type { Ctx, Program, ProgramRun, Resolve } from './driver.ts';
import { nginxTime } from './clockText.ts';
import { envValue } from './lookup.ts';
import { unmodeled } from './applets.ts';
import { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, signalName } from './signals.ts';

/**
 * The official nginx image: `/docker-entrypoint.sh nginx -g 'daemon off;'`
 * (https://github.com/nginxinc/docker-nginx, entrypoint/docker-entrypoint.sh) and nginx itself.
 * Signals as in https://nginx.org/en/docs/control.html: TERM, INT fast shutdown; QUIT graceful
 * shutdown (the image's STOPSIGNAL since 1.25); HUP reload (new workers, old ones drain); USR1
 * reopen log files. nginx logs notices to /var/log/nginx/error.log, a symlink to /dev/stderr in
 * the image; access logs go to stdout.
 */

export const NGINX_VERSION = '1.27.5';
/** `nginx -V`'s compiler line on the Debian bookworm based image; nginx prints it with a trailing space. */
const BUILT_BY = 'built by gcc 12.2.0 (Debian 12.2.0-14) ';
/** The simulated host's kernel (uname -r): containers share the host kernel. */
export const HOST_KERNEL = '6.1.0-28-amd64';
/** RLIMIT_NOFILE docker gives containers by default (containerd's LimitNOFILE, capped at fs.nr_open). */
const NOFILE = '1048576:1048576';
/** `worker_processes auto;` in the image's nginx.conf: one worker per CPU; the simulated host has 2. */
const CPUS = 2;
/**
 * PIDs inside the container: the entrypoint's helpers (find, sort, the sourced scripts' tools)
 * used the PIDs before, so on a real run the first worker is typically 29.
 */
const FIRST_WORKER_PID = 29;
const ENTRYPOINT_SCRIPTS: readonly (readonly [string, string, readonly string[]])[] = [
  [
    'Launching',
    '10-listen-on-ipv6-by-default.sh',
    [
      'info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      'info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    ],
  ],
  ['Sourcing', '15-local-resolvers.envsh', []],
  ['Launching', '20-envsubst-on-templates.sh', []],
  ['Launching', '30-tune-worker-processes.sh', []],
];
/** Line of `exec "$@"` in docker-entrypoint.sh: dash names it when the program is not found. */
const EXEC_LINE = 47;

/**
 * docker-entrypoint.sh: a dash script. For `nginx`/`nginx-debug` it runs the scripts in
 * /docker-entrypoint.d/ and logs each to stdout (unless NGINX_ENTRYPOINT_QUIET_LOGS is set);
 * then `exec "$@"`. It sets no traps, so as PID 1 it ignores SIGTERM while it runs.
 */
export function nginxEntrypoint(argv: readonly string[], resolve: Resolve): Program {
  const self = argv[0] ?? '/docker-entrypoint.sh';
  return {
    comm: 'docker-entrypoi',
    modeled: true,
    *run(ctx: Ctx): ProgramRun {
      const quiet = (envValue(ctx.env.env, 'NGINX_ENTRYPOINT_QUIET_LOGS') ?? '') !== '';
      const log = (line: string) => (quiet ? undefined : ctx.write('stdout', line + '\n'));
      const rest = argv.slice(1);
      if (rest[0] === 'nginx' || rest[0] === 'nginx-debug') {
        yield { kind: 'cpu', us: 3000 };
        log(`${self}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
        log(`${self}: Looking for shell scripts in /docker-entrypoint.d/`);
        for (const [verb, script, lines] of ENTRYPOINT_SCRIPTS) {
          log(`${self}: ${verb} /docker-entrypoint.d/${script}`);
          if (verb === 'Launching') ctx.setChildren([script.slice(0, 15)]);
          for (const line of lines) {
            yield { kind: 'cpu', us: 4000 };
            log(`${script}: ${line}`);
          }
          yield { kind: 'cpu', us: 4000 };
          ctx.setChildren([]);
        }
        log(`${self}: Configuration complete; ready for start up`);
      }
      if (rest.length === 0) return 0;
      const found = resolve(rest, ctx.env.env);
      if (!found.ok) {
        ctx.write(
          'stderr',
          `${self}: ${EXEC_LINE}: exec: ${rest[0] ?? ''}: ${found.code === 127 ? 'not found' : 'Permission denied'}\n`,
        );
        return found.code;
      }
      return yield* ctx.exec(found.program);
    },
  };
}

type Pending = number;

/** nginx -g 'daemon off;' as the container's PID 1; other invocations are not modelled. */
export function nginxProgram(argv: readonly string[]): Program {
  const args = argv.slice(1);
  if (args.length !== 2 || args[0] !== '-g' || args[1]?.replace(/\s+/g, ' ').trim() !== 'daemon off;') {
    return unmodeled('nginx');
  }
  return {
    comm: 'nginx',
    modeled: true,
    run: (ctx) => (ctx.env.isPid1 ? master(ctx) : unmodeled('nginx').run(ctx)),
  };
}

function* master(ctx: Ctx): ProgramRun {
  const notice = (pid: number, msg: string) =>
    ctx.write('stderr', `${nginxTime(ctx.now())} [notice] ${pid}#${pid}: ${msg}\n`);
  const pending: Pending[] = [];
  for (const sig of [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1]) ctx.setHandler(sig, (s) => pending.push(s));
  let nextPid = FIRST_WORKER_PID;
  let workers: number[] = [];
  const spawnWorkers = () => {
    notice(1, 'start worker processes');
    workers = Array.from({ length: CPUS }, () => nextPid++);
    for (const w of workers) notice(1, `start worker process ${w}`);
    ctx.setChildren(workers.map(() => 'nginx'));
  };
  yield { kind: 'cpu', us: 2000 };
  notice(1, 'using the "epoll" event method');
  notice(1, `nginx/${NGINX_VERSION}`);
  notice(1, BUILT_BY);
  notice(1, `OS: Linux ${HOST_KERNEL}`);
  notice(1, `getrlimit(RLIMIT_NOFILE): ${NOFILE}`);
  spawnWorkers();
  for (;;) {
    yield { kind: 'pause', interruptible: true };
    for (let sig = pending.shift(); sig !== undefined; sig = pending.shift()) {
      // The sender is runc, outside the container's PID namespace: siginfo's si_pid is 0 there,
      // so nginx logs no "from PID" (ngx_signal_handler prints it only for a non-zero si_pid).
      if (sig === SIGHUP) {
        notice(1, `signal 1 (SIGHUP) received, reconfiguring`);
        notice(1, 'reconfiguring');
        yield { kind: 'cpu', us: 2000 };
        notice(1, 'using the "epoll" event method');
        const old = workers;
        spawnWorkers();
        ctx.setChildren([...old, ...workers].map(() => 'nginx'));
        yield* retire(ctx, notice, old, true);
        ctx.setChildren(workers.map(() => 'nginx'));
      } else if (sig === SIGUSR1) {
        notice(1, 'signal 10 (SIGUSR1) received, reopening logs');
        notice(1, 'reopening logs');
        for (const w of workers) notice(w, 'reopening logs');
      } else {
        const graceful = sig === SIGQUIT;
        notice(1, `signal ${sig} (${signalName(sig)}) received, ${graceful ? 'shutting down' : 'exiting'}`);
        yield* retire(ctx, notice, workers, graceful);
        notice(1, 'exit');
        return 0;
      }
    }
  }
}

/** Workers finish (gracefully: after their open connections, of which there are none here). */
function* retire(
  ctx: Ctx,
  notice: (pid: number, msg: string) => void,
  workers: number[],
  graceful: boolean,
): ProgramRun {
  yield { kind: 'cpu', us: 500 };
  for (const w of workers) {
    if (graceful) notice(w, 'gracefully shutting down');
    notice(w, 'exiting');
    notice(w, 'exit');
  }
  yield { kind: 'cpu', us: 500 };
  for (const w of workers) {
    notice(1, `signal 17 (SIGCHLD) received from ${w}`);
    notice(1, `worker process ${w} exited with code 0`);
  }
  ctx.setChildren([]);
  return 0;
}
