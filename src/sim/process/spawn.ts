import type { Program, Resolve } from './driver.ts';
import type { ProcessEnv, SpawnResult } from './types.ts';
import { Driver } from './driver.ts';
import { applet, flavorOf, unmodeled } from './applets.ts';
import {
  catFile,
  DEBIAN_ROOTS,
  lsCwd,
  nginxVersion,
  psProgram,
  redisCli,
  unameProgram,
} from './execApplets.ts';
import { envValue, lookPath } from './lookup.ts';
import { baseName, shellProgram } from './shell.ts';
import { nginxEntrypoint, nginxProgram } from './nginx.ts';
import { redisEntrypoint, redisProgram } from './redis.ts';
import { pauseProgram } from './pause.ts';
import { helloProgram } from './hello.ts';

/**
 * exec of a container's process: runc's lookup of argv[0] (lookup.ts), then the program that the
 * file is. Programs are recognised by file name: shells, the nginx and redis entrypoints and
 * servers, the pause container's /pause, hello-world's /hello, busybox/coreutils applets; anything
 * else runs unmodelled.
 */

/** The kernel keeps the first 15 bytes of the executable's name as comm (TASK_COMM_LEN 16). */
const comm = (path: string): string => baseName(path).slice(0, 15);

function programFor(path: string, argv: readonly string[], env: ProcessEnv, resolve: Resolve): Program {
  const name = baseName(path);
  if (name === 'bash') return shellProgram(argv, 'bash', resolve);
  if (name === 'sh' || name === 'ash' || name === 'dash') {
    // busybox and alpine's /bin/sh is busybox ash; Debian-based images link /bin/sh to dash.
    const busybox = env.image === 'busybox' || env.image === 'alpine';
    return shellProgram(argv, busybox && name !== 'dash' ? 'ash' : 'dash', resolve);
  }
  if (name === 'docker-entrypoint.sh') {
    if (env.image === 'nginx') return nginxEntrypoint(argv, resolve);
    if (env.image === 'redis') return redisEntrypoint(argv, resolve);
  }
  if (name === 'nginx' || name === 'nginx-debug') return nginxVersion(argv.slice(1)) ?? nginxProgram(argv);
  if (name === 'redis-server') return redisProgram(argv);
  if (name === 'pause' && env.image === 'pause') return pauseProgram(argv);
  if (name === 'hello' && env.image === 'hello-world') return helloProgram();
  return (
    execApplet(name, argv.slice(1), env) ??
    applet(name, argv.slice(1), env.image, env.executables) ??
    unmodeled(comm(path))
  );
}

/** The programs of execApplets.ts, by name and arguments; undefined when not modelled. */
function execApplet(name: string, args: readonly string[], env: ProcessEnv): Program | undefined {
  const root = DEBIAN_ROOTS[env.image];
  switch (name) {
    case 'ls':
      if (root === undefined || args.length > 1 || (args.length === 1 && args[0] !== '/')) return undefined;
      return lsCwd(env.image, args.length === 1 ? '/' : (env.cwd ?? '/'), root);
    case 'cat':
      return args.length === 1 ? catFile(args[0] ?? '') : undefined;
    case 'uname':
      return unameProgram(args);
    case 'ps':
      return psProgram(args, flavorOf(env.image));
    case 'redis-cli':
      return redisCli(args, env.image);
    default:
      return undefined;
  }
}

function resolverFor(env: ProcessEnv): Resolve {
  const resolve: Resolve = (argv, envList) => {
    const found = lookPath(argv[0] ?? '', envList, env.executables);
    if (!found.ok) return found;
    return { ok: true, program: programFor(found.path, argv, env, resolve) };
  };
  return resolve;
}

/**
 * runc sets HOME when the process environment lacks it, from the user's passwd entry
 * (libcontainer's init: "if HOME is not set, set it"): root's is /root, so `env` shows it last.
 */
function withHome(env: readonly string[]): string[] {
  return envValue(env, 'HOME') === undefined ? [...env, 'HOME=/root'] : [...env];
}

export function spawnProcess(env: ProcessEnv): SpawnResult {
  const procEnv: ProcessEnv = { ...env, env: withHome(env.env) };
  if (env.argv.length === 0) {
    // dockerd refuses this first ("no command specified"); runc would fail the same lookup.
    return { ok: false, code: 127, message: 'exec: "": executable file not found in $PATH' };
  }
  // runc init's own exec.LookPath of argv[0] comes first; its Go decides how a directory fails.
  const runcLookup = lookPath(env.argv[0] ?? '', procEnv.env, env.executables, '/', env.runcDirectoryError);
  if (!runcLookup.ok) return runcLookup;
  const found = resolverFor(procEnv)(env.argv, procEnv.env);
  if (!found.ok) return found;
  return { ok: true, process: new Driver(procEnv, found.program) };
}
