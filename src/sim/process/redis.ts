import type { Ctx, Program, ProgramRun, Resolve } from './driver.ts';
import { redisTime } from './clockText.ts';
import { unmodeled } from './applets.ts';
import { SIGHUP, SIGINT, SIGTERM } from './signals.ts';

/**
 * The official redis image: `docker-entrypoint.sh redis-server`
 * (https://github.com/docker-library/redis, docker-entrypoint.sh) and redis-server 7.4, whose
 * log goes to stdout (`logfile ""`). Log line format (server.c serverLogRaw): "PID:ROLE
 * DD Mon YYYY HH:MM:SS.mmm LEVEL message", ROLE C before the server is set up, M for a master;
 * LEVEL '*' notice, '#' warning. Signals (https://redis.io/docs/latest/operate/oss_and_stack/
 * reference/signals/): SIGTERM and SIGINT schedule a shutdown that serverCron performs (it runs
 * `hz` = 10 times a second), saving the RDB snapshot first; SIGHUP and SIGPIPE are ignored.
 */

export const REDIS_VERSION = '7.4.2';
const CRON_MS = 100;

/**
 * docker-entrypoint.sh (a dash script, silent): prefixes redis-server when the first argument is
 * an option or a .conf file; as root it chowns the data directory (`find . \! -user redis -exec
 * chown redis '{}' +`) and re-execs itself through `gosu redis`; then `exec "$@"`.
 */
export function redisEntrypoint(argv: readonly string[], resolve: Resolve): Program {
  return {
    comm: 'docker-entrypoi',
    modeled: true,
    *run(ctx: Ctx): ProgramRun {
      let rest = argv.slice(1);
      const first = rest[0] ?? '';
      if (first.startsWith('-') || first.endsWith('.conf')) rest = ['redis-server', ...rest];
      if (rest[0] === 'redis-server') {
        ctx.setChildren(['find']);
        yield { kind: 'cpu', us: 3000 };
        ctx.setChildren([]);
        yield { kind: 'cpu', us: 2000 };
      }
      if (rest.length === 0) return 0;
      const found = resolve(rest, ctx.env.env);
      if (!found.ok) return found.code;
      return yield* ctx.exec(found.program);
    },
  };
}

/** redis-server with no arguments or only --options, as PID 1; anything else is not modelled. */
export function redisProgram(argv: readonly string[]): Program {
  const args = argv.slice(1);
  // A config file changes what is logged and configured: only `--option value` lists are modelled.
  if (args.length > 0 && !args[0]?.startsWith('--')) return unmodeled('redis-server');
  return {
    comm: 'redis-server',
    modeled: true,
    run: (ctx) => (ctx.env.isPid1 ? server(ctx, args.length === 0) : unmodeled('redis-server').run(ctx)),
  };
}

function* server(ctx: Ctx, noConfig: boolean): ProgramRun {
  const start = ctx.now();
  let role = 'C';
  const log = (level: '*' | '#', msg: string) =>
    ctx.write('stdout', `1:${role} ${redisTime(ctx.now())} ${level} ${msg}\n`);
  let shutdownAsap = false;
  let insist = false;
  const onSignal = (sig: number) => {
    // serverLogRawFromHandler: no formatted date in a signal handler, only time(NULL).
    const name = sig === SIGINT ? 'SIGINT' : 'SIGTERM';
    const head = `1:signal-handler (${Math.floor(ctx.now() / 1000)}) `;
    if (shutdownAsap && sig === SIGINT) {
      ctx.write('stdout', head + 'You insist... exiting now.\n');
      insist = true;
      return;
    }
    ctx.write('stdout', head + `Received ${name} scheduling shutdown...\n`);
    shutdownAsap = true;
  };
  ctx.setHandler(SIGTERM, onSignal);
  ctx.setHandler(SIGINT, onSignal);
  ctx.setHandler(SIGHUP, 'ignore');
  log('*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  log('*', `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=1, just started`);
  if (noConfig) {
    log(
      '#',
      'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
    );
  } else log('*', 'Configuration loaded');
  role = 'M';
  // The "WARNING Memory overcommit must be enabled!" line appears only on hosts with
  // vm.overcommit_memory=0; the simulated host has it set to 1.
  log('*', 'monotonic clock: POSIX clock_gettime');
  yield { kind: 'cpu', us: 1000 };
  log('*', 'Running mode=standalone, port=6379.');
  log('*', 'Server initialized');
  log('*', 'Ready to accept connections tcp');
  while (!shutdownAsap) yield { kind: 'pause', interruptible: true };
  if (insist) return 1;
  // serverCron notices shutdown_asap on its next tick.
  const tick = start + Math.ceil((ctx.now() - start + 1) / CRON_MS) * CRON_MS;
  while (ctx.now() < tick) {
    if ((yield { kind: 'sleep', untilMs: tick, interruptible: true }) === 'interrupted' && insist) return 1;
  }
  log('*', 'User requested shutdown...');
  log('*', 'Saving the final RDB snapshot before exiting.');
  yield { kind: 'cpu', us: 3000 };
  log('*', 'DB saved on disk');
  log('#', 'Redis is now ready to exit, bye bye...');
  return 0;
}
