// `npx tsx bench/siteProfile.ts [steps] [slowdown]`: where a step's time goes. Builds the site
// unminified (names kept), opens the 400-message run of bench:site under Chromium's CPU slowdown,
// waits for its idle-time work, then steps through it as bench:site does with the DevTools
// protocol's CPU profiler on, and prints the busiest functions' self time; with TRACE=1 also the
// Performance trace's time by kind of work (style, layout, paint, …) and per step (STEPS=1). The
// .cpuprofile is written to the temp directory for DevTools. `AB=dir-a,dir-b ROUNDS=n` times two
// builds side by side instead (both see the same machine); HIDE and CLOSE take parts of the page
// out to see what they cost.
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/e2e/browser.ts';
import { everyCommandDrawn, RUN_400, stepTimes } from './shared/run400.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function selfTimes(profile: Profile): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n) return;
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tdur?: number;
  tid: number;
  pid: number;
  ts: number;
  args?: Record<string, unknown>;
}

/** Chromium's rendering steps after script, in the order a frame runs them (trace event names). */
const RENDERING = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'];

/** Time by kind of work on the page's main thread (top-level timeline events). */
function phases(events: TraceEvent[]): void {
  const main = events.find(
    (e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain',
  );
  const on = events.filter(
    (e) => e.ph === 'X' && e.dur !== undefined && (!main || (e.tid === main.tid && e.pid === main.pid)),
  );
  const sum = new Map<string, number>();
  for (const e of on) sum.set(e.name, (sum.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  const names = [
    'RunTask',
    'FunctionCall',
    'EvaluateScript',
    'TimerFire',
    'FireAnimationFrame',
    ...RENDERING,
    'HitTest',
    'ParseHTML',
    'MajorGC',
    'MinorGC',
    'V8.GC_SCAVENGER_SCAVENGE',
  ];
  console.log(names.map((n) => `${n} ${(sum.get(n) ?? 0).toFixed(0)}`).join(' | '));
  // The costliest layouts, paints and style recalcs, with what they covered.
  for (const name of ['Layout', 'Paint', 'UpdateLayoutTree', 'PrePaint', 'Layerize']) {
    const list = on.filter((e) => e.name === name).sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
    console.log(`${name}: ${list.length} events`);
    for (const e of list.slice(0, 6))
      console.log(`  ${((e.dur ?? 0) / 1000).toFixed(1)} ms ${JSON.stringify(e.args).slice(0, 400)}`);
  }
  // Which script runs the forced layouts: the layouts nested in a FunctionCall.
  const calls = on.filter(
    (e) => e.name === 'FunctionCall' || e.name === 'FireAnimationFrame' || e.name === 'TimerFire',
  );
  let forced = 0;
  for (const l of on.filter((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree'))
    if (calls.some((c) => c.ts <= l.ts && l.ts < c.ts + (c.dur ?? 0))) forced += (l.dur ?? 0) / 1000;
  console.log(`style+layout inside script (forced): ${forced.toFixed(0)} ms`);
  perStep(events, on);
}

/** Step by step: what each step's window (between its two time stamps) held; STEPS=1 prints each. */
function perStep(events: TraceEvent[], on: TraceEvent[]): void {
  const stamps = events.filter((e) => e.name === 'TimeStamp').sort((a, b) => a.ts - b.ts);
  let start = 0;
  let i = 0;
  const cpuOf = new Map<string, number[]>();
  for (const st of stamps) {
    const msg = (st.args?.data as { message?: string } | undefined)?.message;
    if (msg === 'step-start') start = st.ts;
    if (msg !== 'step-end' || !start) continue;
    i++;
    const inside = on.filter((e) => e.ts >= start && e.ts < st.ts);
    // Thread time by kind of work (the events' own clock; the slowdown's pauses are in it).
    for (const n of [...RENDERING, 'FunctionCall', 'FireAnimationFrame'])
      cpuOf.set(n, [
        ...(cpuOf.get(n) ?? []),
        inside.filter((e) => e.name === n).reduce((a, e) => a + (e.tdur ?? 0) / 1000, 0),
      ]);
    const ms = (n: string) => inside.filter((e) => e.name === n).reduce((a, e) => a + (e.dur ?? 0) / 1000, 0);
    const paints = inside
      .filter((e) => e.name === 'Paint' && (e.dur ?? 0) > 1000)
      .map(
        (e) =>
          `${String((e.args?.data as { nodeName?: string } | undefined)?.nodeName).slice(0, 30)}:${((e.dur ?? 0) / 1000).toFixed(0)}`,
      );
    const layouts = inside
      .filter((e) => e.name === 'Layout')
      .map((e) => {
        const roots =
          (e.args?.endData as { layoutRoots?: { nodeName: string }[] } | undefined)?.layoutRoots ?? [];
        return `${((e.dur ?? 0) / 1000).toFixed(0)}(${(e.args?.beginData as { dirtyObjects?: number } | undefined)?.dirtyObjects} ${roots.map((r) => r.nodeName.slice(0, 24)).join('+')})`;
      });
    if (process.env.STEPS === '1' && process.env.WHY === '1') whyLayout(events, start, st.ts);
    if (process.env.STEPS === '1')
      console.log(
        `step ${i}: ${((st.ts - start) / 1000).toFixed(0)} ms; script ${(ms('FunctionCall') + ms('FireAnimationFrame')).toFixed(0)} style ${ms('UpdateLayoutTree').toFixed(0)} layout ${layouts.join(',')} prepaint ${ms('PrePaint').toFixed(0)} paint ${ms('Paint').toFixed(0)} [${paints.join(' ')}] layerize ${ms('Layerize').toFixed(0)} commit ${ms('Commit').toFixed(0)}`,
      );
  }
  const total = (v: number[]) => v.reduce((a, b) => a + b, 0);
  console.log(
    `thread time per step by kind of work, mean (ms): ${[...cpuOf].map(([n, v]) => `${n} ${(total(v) / v.length).toFixed(2)}`).join(', ')}`,
  );
}

/**
 * What made a step lay out (WHY=1, with STEPS=1): the trace's layout invalidations in the step's
 * window, by node and reason, so a change that escapes its panel's containment shows by name.
 */
function whyLayout(events: TraceEvent[], from: number, to: number): void {
  const seen = new Map<string, number>();
  for (const e of events) {
    if (e.ts < from || e.ts >= to) continue;
    if (e.name !== 'LayoutInvalidationTracking' && e.name !== 'StyleRecalcInvalidationTracking') continue;
    const d = (e.args?.data ?? {}) as { nodeName?: string; reason?: string };
    const key = `${e.name.replace('InvalidationTracking', '')}:${String(d.nodeName).slice(0, 40)}:${d.reason ?? ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  console.log(`  invalidated: ${[...seen].map(([k, n]) => `${k}×${n}`).join(' | ')}`);
}

/** Serve a built site on loopback. */
async function serve(outDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const port = (server.httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => server.httpServer.close(() => r())),
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? Number.NaN;
}

/** The 400-message run opened under the slowdown, once its idle-time work is done (see bench/site.ts). */
async function openRun(
  browser: Browser,
  url: string,
  rate: number,
): Promise<{ page: Page; cdp: CDPSession }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const q = new URLSearchParams();
  for (const c of RUN_400) q.append('c', c);
  q.set('step', '0');
  q.set('lang', 'en');
  await page.goto(`${url}?${q.toString()}`);
  await everyCommandDrawn(page, rate, 240_000);
  // HIDE="sel1,sel2": elements of the app's shadow root hidden, to see what they cost a step.
  const hide = process.env.HIDE ?? '';
  if (hide)
    await page.evaluate((sel) => {
      const style = document.createElement('style');
      style.textContent = `${sel} { display: none !important; }`;
      document.querySelector('ds-app')?.shadowRoot?.append(style);
    }, hide);
  // CLOSE="events,inspector": those panels closed (a closed panel does no work on a step).
  for (const id of (process.env.CLOSE ?? '').split(',').filter(Boolean))
    await page.locator(`ds-panels #panel-${id} > summary`).click();
  return { page, cdp };
}

/** Step through the run; with `profile`, the CPU profile (and with TRACE=1 the trace) of the steps. */
async function stepRun(
  browser: Browser,
  url: string,
  steps: number,
  rate: number,
  profile: boolean,
): Promise<number[]> {
  const { page, cdp } = await openRun(browser, url, rate);
  const tracing = profile && process.env.TRACE === '1';
  if (tracing)
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        ...(process.env.WHY === '1' ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
      ],
    });
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const times = await stepTimes(page, steps, true);
  if (profile) {
    const { profile: cpu } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    writeFileSync(`${tmpdir()}/dockstep-site-steps.cpuprofile`, JSON.stringify(cpu));
    if (tracing)
      phases(
        (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents,
      );
    const total = cpu.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
    console.log(`profile ${total.toFixed(0)} ms; self time (ms):`);
    for (const [k, v] of selfTimes(cpu).slice(0, 30)) console.log(`${v.toFixed(1).padStart(8)}  ${k}`);
  }
  await page.close();
  return times;
}

/**
 * One site: `npx tsx bench/siteProfile.ts [steps] [slowdown]` builds it unminified and profiles
 * the steps. Side by side: `AB=dist-a,dist-b ROUNDS=3` steps through two builds in turns, so
 * both see the same machine, and compares them.
 */
async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 150);
  const rate = Number(process.argv[3] ?? 4);
  const ab = (process.env.AB ?? '').split(',').filter(Boolean);
  const dirs = ab.length ? ab : [`${tmpdir()}/dockstep-site-profile`];
  if (!ab.length)
    await build({
      logLevel: 'warn',
      build: { outDir: dirs[0], emptyOutDir: true, minify: false, sourcemap: false },
    });
  const sites = await Promise.all(dirs.map((d) => serve(d)));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const all = new Map<string, number[]>(dirs.map((d) => [d, []]));
  try {
    for (let r = 0; r < Number(process.env.ROUNDS ?? 1); r++)
      for (const [i, d] of dirs.entries()) {
        const times = await stepRun(browser, sites[i]?.url ?? '', steps, rate, !ab.length);
        all.get(d)?.push(...times);
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        console.log(
          `${d} ${rate}× ${times.length} steps: median ${quantile(times, 0.5).toFixed(1)} p95 ${quantile(times, 0.95).toFixed(1)} max ${quantile(times, 1).toFixed(1)} ms (load ${load})`,
        );
      }
    for (const [d, times] of all)
      console.log(
        `${d} all: median ${quantile(times, 0.5).toFixed(1)} p75 ${quantile(times, 0.75).toFixed(1)} p95 ${quantile(times, 0.95).toFixed(1)} ms`,
      );
  } finally {
    await browser.close();
    for (const s of sites) await s.close();
  }
}

await main();
