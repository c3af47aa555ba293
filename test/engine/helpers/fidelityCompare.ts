// What the fidelity suite compares beyond a replay's lines: the parts of a recording that are the
// machine's timing, not the daemon's behaviour, made comparable on both sides (each says why),
// and the full inspect of x-restore-cp-stats.txt part 5 against the engine's.
import { existsSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * r2's events (`--restart always`, `sh -c 'exit 3'`) after its first exit and before its `docker
 * stop`: each back-off (100, 200, 400 ms…, moby restartmanager) is a disconnect, connect, start,
 * die 3, and how many fit before the stop, and whether the stop finds it running (kill 15, die 3,
 * disconnect) or waiting to restart (disconnect only: moby daemon/kill.go returns before the kill
 * while Restarting), is the machine's speed, not the daemon's behaviour. The first run up to its
 * die and the stop itself are compared.
 */
export function withoutBackOffs(events: string[]): string[] {
  const r2 = (l: string) => /[{ ](container|name)=r2[,}]/.test(l);
  const firstDie = events.findIndex((l) => l.startsWith('EV container die {') && r2(l));
  const stop = events.findIndex((l) => l.startsWith('EV container stop {') && r2(l));
  if (firstDie < 0 || stop < 0) return events;
  return events.filter((l, i) => !(r2(l) && i > firstDie && i < stop));
}

/** `docker ps` ages ("1 second ago", "Less than a second ago") are the machine's timing. */
export const ages = (text: string): string =>
  text.replace(/(Less than a second|About a minute|\d+ (second|minute)s?)( ago)?/g, '<age>$3');

/** Config.AttachStd*, OpenStdin and StdinOnce, in z2-host-inspect.txt part 3's format. */
export const ATTACH =
  '{{json .Config.AttachStdin}} {{json .Config.AttachStdout}} {{json .Config.AttachStderr}} {{json .Config.OpenStdin}} {{json .Config.StdinOnce}}';

/**
 * Containers made as z2-host-inspect.txt part 3 made them, with what dockerd 20.10 showed: the
 * CLI's create and run -i attach the streams it reads, -d none.
 */
export const ATTACHED: { args: string[]; attach?: string }[] = [
  { args: ['create', '--name', 'a1', 'busybox', 'true'], attach: 'false true true false false\n' },
  { args: ['run', '-d', '--name', 'a2', 'busybox', 'true'], attach: 'false false false false false\n' },
  { args: ['create', '-i', '--name', 'a5', 'busybox', 'true'], attach: 'true true true true true\n' },
  { args: ['run', '-d', '--name', 'b1', 'busybox', 'sleep', '1000'] },
];

/** o-restart-policies 0–10 and 22–26: how the lines that depend on timing are compared. */
export const BACK_OFFS = {
  // The recording's operator waited 2 s for r1's three runs; on a loaded machine they take
  // longer: the line waits instead, as every line does, for the recording's count of events
  // (the three runs'), without asking the engine anything meanwhile.
  rewrite: (line: string): string => (line === 'sleep 2' ? 'true' : line),
  // 7: `Restarting (3)` or `Up` at 0.5 s depends on where the back-off is; 9: how many restarts
  // fit before the stop (the recording's 2) is timing: only that there were some.
  skipStdout: [7],
  timedText: (text: string, i: number): string =>
    i === 9 ? text.replace(/^[1-9]\d* exited/, '<n> exited') : ages(text),
  timedEvents: withoutBackOffs,
  flat: true,
  // docker rm r1 r2: two requests at once.
  unordered: [10],
};

/**
 * Part 5's inspect and ours: the same fields in the same order at every level, and HostConfig
 * (20.10's resource and security defaults among what the create set) equal but for the bind's
 * host path. The sandbox, IPv6 and IPAM fields are there with dockerd's types (their values are
 * the host's: ids, the netns file, addresses).
 */
export function sameAsRecorded(
  ours: Record<string, unknown>,
  theirs: Record<string, unknown> | undefined,
  host: string,
): void {
  const keys = (v: unknown): string[] => (v !== null && typeof v === 'object' ? Object.keys(v) : []);
  const sub = (v: Record<string, unknown> | undefined, k: string) =>
    (v?.[k] ?? {}) as Record<string, unknown>;
  expect(keys(ours), 'the fields, in order').toEqual(keys(theirs));
  for (const part of ['State', 'HostConfig', 'Config', 'NetworkSettings'])
    expect(keys(ours[part]), `${part}: its fields, in order`).toEqual(keys(theirs?.[part]));
  const bridge = (v: Record<string, unknown> | undefined) =>
    sub(sub(sub(v, 'NetworkSettings'), 'Networks'), 'bridge');
  expect(keys(bridge(ours)), 'NetworkSettings.Networks.bridge: its fields, in order').toEqual(
    keys(bridge(theirs)),
  );
  // The CLI builds Binds by ranging over a Go map of the -v flags (docker/cli
  // cli/command/container/opts.go parse: copts.volumes.GetMap()): their order is random.
  const withSortedBinds = (v: unknown): unknown => {
    const hc = { ...(v as Record<string, unknown>) };
    if (Array.isArray(hc.Binds)) hc.Binds = hc.Binds.map((b: unknown) => String(b)).sort();
    return hc;
  };
  const binds = (v: unknown) => JSON.stringify(v).replaceAll(host, '<base>/hostdir');
  expect(withSortedBinds(JSON.parse(binds(ours.HostConfig)))).toEqual(withSortedBinds(theirs?.HostConfig));
  expect(ours.NetworkSettings).toMatchObject({
    SandboxID: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    SandboxKey: expect.stringMatching(/\/[0-9a-f]{12}$/) as unknown,
  });
  const key = String(sub(ours, 'NetworkSettings').SandboxKey);
  expect(key.endsWith(String(sub(ours, 'NetworkSettings').SandboxID).slice(0, 12))).toBe(true);
  expect(existsSync(key), `${key}: the netns file`).toBe(true);
}
