/**
 * Signal numbers, names and default actions as on Linux x86_64 (man 7 signal).
 *
 * Names are parsed the way docker does (`docker kill -s`, `--stop-signal`, STOPSIGNAL): moby's
 * `signal.ParseSignal` (github.com/moby/sys/signal) accepts a decimal number, or a name in any
 * case with or without the `SIG` prefix, including the aliases IOT, CLD and POLL and the
 * real-time forms RTMIN+n / RTMAX-n.
 */

const NAMES: readonly (readonly [string, number])[] = [
  ['HUP', 1],
  ['INT', 2],
  ['QUIT', 3],
  ['ILL', 4],
  ['TRAP', 5],
  ['ABRT', 6],
  ['BUS', 7],
  ['FPE', 8],
  ['KILL', 9],
  ['USR1', 10],
  ['SEGV', 11],
  ['USR2', 12],
  ['PIPE', 13],
  ['ALRM', 14],
  ['TERM', 15],
  ['STKFLT', 16],
  ['CHLD', 17],
  ['CONT', 18],
  ['STOP', 19],
  ['TSTP', 20],
  ['TTIN', 21],
  ['TTOU', 22],
  ['URG', 23],
  ['XCPU', 24],
  ['XFSZ', 25],
  ['VTALRM', 26],
  ['PROF', 27],
  ['WINCH', 28],
  ['IO', 29],
  ['PWR', 30],
  ['SYS', 31],
];
/** Aliases moby's SignalMap also accepts; signalName never returns them. */
const ALIASES: readonly (readonly [string, number])[] = [
  ['IOT', 6],
  ['CLD', 17],
  ['POLL', 29],
];

/** glibc's SIGRTMIN/SIGRTMAX as seen by programs (the kernel's 32 and 33 are taken by NPTL). */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;

const byName = new Map<string, number>([...NAMES, ...ALIASES]);
const byNumber = new Map<number, string>(NAMES.map(([name, n]) => [n, name]));

/** 'TERM', 'SIGTERM', 'sigterm', '15' → 15; RTMIN+3 → 37; undefined when docker would reject it. */
export function signalNumber(name: string): number | undefined {
  const raw = name.trim();
  if (/^-?\d+$/.test(raw)) {
    // ParseSignal takes any non-zero integer; the kernel then refuses anything outside 1..64
    // (EINVAL from kill(2)), so those are rejected here already.
    const n = Number(raw);
    return n >= 1 && n <= SIGRTMAX ? n : undefined;
  }
  const upper = raw.toUpperCase().replace(/^SIG/, '');
  const direct = byName.get(upper);
  if (direct !== undefined) return direct;
  const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(upper);
  if (!rt) return undefined;
  const offset = rt[3] === undefined ? 0 : Number(rt[3]);
  // moby's map holds RTMIN+1..RTMIN+15 and RTMAX-14..RTMAX-1 only.
  if (rt[1] === 'MIN' && (rt[2] === '+' || offset === 0) && offset <= 15) return SIGRTMIN + offset;
  if (rt[1] === 'MAX' && (rt[2] === '-' || offset === 0) && offset <= 14) return SIGRTMAX - offset;
  return undefined;
}

/** 15 → 'SIGTERM', 37 → 'SIGRTMIN+3' (the spelling of strsignal-less tools such as kill -l). */
export function signalName(n: number): string {
  const name = byNumber.get(n);
  if (name !== undefined) return `SIG${name}`;
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (n === SIGRTMAX) return 'SIGRTMAX';
  if (n > SIGRTMIN && n < SIGRTMAX)
    return n - SIGRTMIN <= 15 ? `SIGRTMIN+${n - SIGRTMIN}` : `SIGRTMAX-${SIGRTMAX - n}`;
  return `SIG${n}`;
}

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

/** The "Action" column of man 7 signal; real-time signals terminate by default. */
export function defaultAction(sig: number): DefaultAction {
  if ([3, 4, 5, 6, 7, 8, 11, 24, 25, 31].includes(sig)) return 'core';
  if ([17, 23, 28].includes(sig)) return 'ignore';
  if ([19, 20, 21, 22].includes(sig)) return 'stop';
  if (sig === SIGCONT) return 'cont';
  return 'term';
}
