/**
 * Linux signal numbers on x86_64 and arm64 (man 7 signal), and the names docker accepts for
 * them: `docker kill -s TERM`, `-s SIGTERM` and `-s 15` are the same signal.
 */
const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  PWR: 30,
  SYS: 31,
};

export function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  return SIGNALS[name.toUpperCase().replace(/^SIG/, '')];
}

export function signalName(n: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === n) return `SIG${name}`;
  return `SIG${n}`;
}
