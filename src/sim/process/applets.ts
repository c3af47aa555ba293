import type { Ctx, Program, ProgramRun } from './driver.ts';
import { dateText } from './clockText.ts';
import { envValue } from './lookup.ts';
import { nslookupProgram, resolvConfProgram } from './dnsPrograms.ts';

/**
 * Small programs, as busybox applets (busybox, alpine: https://busybox.net/downloads/BusyBox.html)
 * or GNU coreutils (Debian-based images such as nginx and redis). Only what is cheap and certain
 * is modelled; for anything else `applet` returns undefined and the caller runs the program as
 * unmodelled, printing nothing rather than guessing.
 */

export type Flavor = 'busybox' | 'gnu';

export function flavorOf(image: string): Flavor {
  return image === 'busybox' || image === 'alpine' ? 'busybox' : 'gnu';
}

/**
 * A program we do not model. As a container's init it prints nothing and blocks until a signal
 * ends it (a lesson notes that the command is still running). Exec'd into a running container it
 * says on stderr that it is not simulated and exits 1, so `docker exec` returns rather than
 * waiting for a `docker stop` that kills it.
 */
export function unmodeled(comm: string): Program {
  return {
    comm,
    modeled: false,
    *run(ctx: Ctx): ProgramRun {
      if (!ctx.env.isPid1) {
        ctx.write('stderr', `dockstep: ${comm}: not simulated (what this program prints is not modelled)\n`);
        return 1;
      }
      for (;;) yield { kind: 'pause' };
    },
  };
}

/** A program that does its work in one instant and exits. */
export function finished(comm: string, body: (ctx: Ctx) => number): Program {
  return {
    comm,
    modeled: true,
    // eslint-disable-next-line require-yield -- runs to completion within one instant
    *run(ctx: Ctx): ProgramRun {
      return body(ctx);
    },
  };
}

/** One operand of sleep: seconds with an optional s/m/h/d suffix, fractions and "inf" allowed. */
function sleepSeconds(arg: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+|inf|infinity)([smhd]?)$/i.exec(arg);
  if (!m || m[1] === undefined) return undefined;
  const base = /^inf/i.test(m[1]) ? Infinity : Number(m[1]);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? ''] ?? 1;
  return base * unit;
}

/** sleep(1): several operands add up (both busybox with FANCY_SLEEP and coreutils). */
export function sleepProgram(args: readonly string[]): Program {
  return {
    comm: 'sleep',
    modeled: true,
    *run(ctx: Ctx): ProgramRun {
      const gnu = flavorOf(ctx.env.image) === 'gnu';
      if (args.length === 0) {
        // busybox prints its usage text here, which we do not reproduce; coreutils says this.
        if (gnu) ctx.write('stderr', "sleep: missing operand\nTry 'sleep --help' for more information.\n");
        return 1;
      }
      let total = 0;
      for (const arg of args) {
        const s = sleepSeconds(arg);
        if (s === undefined) {
          ctx.write(
            'stderr',
            gnu
              ? `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`
              : `sleep: invalid number '${arg}'\n`,
          );
          return 1;
        }
        total += s;
      }
      if (total === Infinity) for (;;) yield { kind: 'pause' };
      yield { kind: 'sleep', untilMs: ctx.now() + total * 1000 };
      return 0;
    },
  };
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Backslash escapes of echo -e / printf; `stop` is set by \c ("produce no further output"). */
export function unescape(text: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const next = text[i + 1];
    if (ch !== '\\' || next === undefined) {
      out += ch;
      continue;
    }
    if (next === 'c') return { text: out, stop: true };
    const oct = /^0([0-7]{0,3})/.exec(text.slice(i + 1));
    if (oct) {
      out += String.fromCharCode(parseInt(oct[1] || '0', 8));
      i += oct[0].length;
      continue;
    }
    const esc = ESCAPES[next];
    out += esc ?? ch + next;
    i++;
  }
  return { text: out, stop: false };
}

/**
 * echo: busybox, coreutils and bash take -n, -e, -E (grouped, e.g. -ne) and print escapes only
 * with -e; dash's builtin echo takes only -n and always interprets escapes (dash(1), "echo").
 */
export function echoText(args: readonly string[], style: 'posix' | 'dash'): string {
  let newline = true;
  let escapes = style === 'dash';
  let i = 0;
  const flags = style === 'dash' ? /^-n+$/ : /^-[neE]+$/;
  for (; i < args.length && flags.test(args[i] ?? ''); i++) {
    for (const f of (args[i] ?? '').slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  const body = args.slice(i).join(' ');
  if (!escapes) return body + (newline ? '\n' : '');
  const u = unescape(body);
  return u.text + (newline && !u.stop ? '\n' : '');
}

function yesProgram(args: readonly string[]): Program {
  const line = (args.length ? args.join(' ') : 'y') + '\n';
  return {
    comm: 'yes',
    modeled: true,
    *run(ctx: Ctx): ProgramRun {
      // yes writes as fast as the pipe drains; each write here carries 16 lines and costs 10 µs.
      // The driver samples such a CPU-bound writer (see driver.ts): the log shows bursts of it.
      for (;;) {
        ctx.write('stdout', line.repeat(16));
        yield { kind: 'cpu', us: 10 };
      }
    },
  };
}

/** id(1) for root, from each image's /etc/group (busybox puts root in wheel; alpine in more). */
const ROOT_ID: Record<string, string> = {
  busybox: 'uid=0(root) gid=0(root) groups=0(root),10(wheel)',
  alpine:
    'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)',
  nginx: 'uid=0(root) gid=0(root) groups=0(root)',
  redis: 'uid=0(root) gid=0(root) groups=0(root)',
};

/** `ls /` in the images whose root we know (one name a line: stdout is a pipe, not a tty). */
const ROOT_LISTING: Record<string, string[]> = {
  busybox: ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'],
  alpine: [
    'bin',
    'dev',
    'etc',
    'home',
    'lib',
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
  ],
};
const BIN_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];

function listing(dir: string, image: string, executables: readonly string[]): string[] | undefined {
  if (dir === '/') return ROOT_LISTING[image];
  if (!BIN_DIRS.includes(dir)) return undefined;
  // Program directories hold programs only, so the image's executables list is their content.
  const names = new Set<string>();
  for (const exe of executables)
    if (exe.startsWith(dir + '/')) names.add(exe.slice(dir.length + 1).split('/')[0] ?? '');
  return [...names].filter(Boolean).sort();
}

function lsProgram(
  args: readonly string[],
  image: string,
  executables: readonly string[],
): Program | undefined {
  if (args.some((a) => a.startsWith('-')) || args.length > 1) return undefined;
  const names = listing((args[0] ?? '/').replace(/(.)\/+$/, '$1'), image, executables);
  if (!names) return undefined;
  return finished('ls', (ctx) => {
    ctx.write('stdout', names.map((n) => n + '\n').join(''));
    return 0;
  });
}

/** The applet or utility called `name`, or undefined when we do not model that invocation. */
export function applet(
  name: string,
  args: readonly string[],
  image: string,
  executables: readonly string[],
): Program | undefined {
  switch (name) {
    case 'sleep':
      return sleepProgram(args);
    case 'echo':
      return finished('echo', (ctx) => (ctx.write('stdout', echoText(args, 'posix')), 0));
    case 'true':
      return finished('true', () => 0);
    case 'false':
      return finished('false', () => 1);
    case 'yes':
      return yesProgram(args);
    case 'cat':
      // docker run without -i gives the container /dev/null as stdin: cat reads EOF and exits 0.
      if (args.length === 1 && args[0] === '/etc/resolv.conf') return resolvConfProgram();
      return args.length === 0 ? finished('cat', () => 0) : undefined;
    case 'nslookup':
      return nslookupProgram(args);
    case 'env':
    case 'printenv':
      return args.length === 0
        ? finished(name, (ctx) => (ctx.write('stdout', ctx.env.env.map((e) => e + '\n').join('')), 0))
        : undefined;
    case 'hostname':
      // docker sets both the UTS hostname and $HOSTNAME to the container's short id (or --hostname).
      return args.length === 0
        ? finished(
            'hostname',
            (ctx) => (ctx.write('stdout', (envValue(ctx.env.env, 'HOSTNAME') ?? '') + '\n'), 0),
          )
        : undefined;
    case 'id': {
      const text = ROOT_ID[image];
      return args.length === 0 && text
        ? finished('id', (ctx) => (ctx.write('stdout', text + '\n'), 0))
        : undefined;
    }
    case 'date':
      return args.length === 0
        ? finished('date', (ctx) => (ctx.write('stdout', dateText(ctx.now()) + '\n'), 0))
        : undefined;
    case 'ls':
      return lsProgram(args, image, executables);
    default:
      return undefined;
  }
}
