import { spawnProcess } from '../../../src/sim/process/index.ts';
import type { ProcessEffect, ProcessEnv, SimProcess } from '../../../src/sim/process/index.ts';

export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
export const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const BUSYBOX_APPLETS = [
  'sh',
  'ash',
  'sleep',
  'echo',
  'true',
  'false',
  'cat',
  'yes',
  'env',
  'hostname',
  'id',
  'ls',
  'date',
  'ps',
  'top',
  'vi',
];

export const IMAGES: Record<string, readonly string[]> = {
  busybox: BUSYBOX_APPLETS.map((a) => `/bin/${a}`),
  alpine: [...BUSYBOX_APPLETS.map((a) => `/bin/${a}`), '/sbin/apk'],
  nginx: [
    '/docker-entrypoint.sh',
    '/usr/sbin/nginx',
    '/bin/sh',
    '/bin/dash',
    '/bin/bash',
    '/bin/sleep',
    '/bin/echo',
    '/usr/bin/env',
    '/usr/bin/find',
  ],
  redis: [
    '/usr/local/bin/docker-entrypoint.sh',
    '/usr/local/bin/redis-server',
    '/usr/local/bin/gosu',
    '/bin/sh',
    '/bin/bash',
    '/bin/sleep',
  ],
};

export function env(image: string, argv: string[], extra: Partial<ProcessEnv> = {}): ProcessEnv {
  return {
    argv,
    env: [PATH, 'HOSTNAME=0123456789ab'],
    image,
    executables: IMAGES[image] ?? [],
    isPid1: true,
    startMs: T0,
    ...extra,
  };
}

export function spawn(image: string, argv: string[], extra: Partial<ProcessEnv> = {}): SimProcess {
  const r = spawnProcess(env(image, argv, extra));
  if (!r.ok) throw new Error(r.message);
  return r.process;
}

/** Drive a process like the runtime does: wake it at nextWakeMs until `untilMs`. */
export function runUntil(p: SimProcess, untilMs: number, out: ProcessEffect[] = []): ProcessEffect[] {
  for (let wake = p.nextWakeMs(), n = 0; wake !== undefined && wake <= untilMs; wake = p.nextWakeMs(), n++) {
    if (n > 100_000) throw new Error('runaway process');
    out.push(...p.advance(wake));
  }
  return out;
}

export function stdout(effects: ProcessEffect[]): string {
  return effects.map((e) => (e.type === 'write' && e.stream === 'stdout' ? e.text : '')).join('');
}
export function stderr(effects: ProcessEffect[]): string {
  return effects.map((e) => (e.type === 'write' && e.stream === 'stderr' ? e.text : '')).join('');
}
export function exitOf(effects: ProcessEffect[]): Extract<ProcessEffect, { type: 'exit' }> | undefined {
  return effects.find((e): e is Extract<ProcessEffect, { type: 'exit' }> => e.type === 'exit');
}
