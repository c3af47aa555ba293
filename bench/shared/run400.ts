// What the site and simulation benches share: the run they time (bench:sim, bench:site and
// bench/siteProfile.ts), the wait for the site's idle-time work on it before steps are timed, and
// how a step is timed.
import type { Page } from 'playwright-core';

/** About 400 messages: the run whose replay is the worst case of a step back. */
export const RUN_400: string[] = [
  'docker run -d --name web nginx',
  'docker stop web',
  'docker rm web',
  'docker run -d --name sl busybox sleep 1000',
  'docker stop -t 1 sl',
  'docker rm sl',
];

/**
 * Let the idle-time work of the page finish before steps are timed: the run's later commands,
 * computed one per idle moment, and the drawing of every command. On a busy machine, under the
 * slowdown, a fixed wait was too short: a command computed or drawn while the steps ran (one task
 * of a second or more) was counted as a step. The page says when its run is computed (the
 * session's `computing`) and which drawings are whole (ds-diagram's data-drawn).
 */
export async function everyCommandDrawn(
  page: Page,
  slowdown: number,
  timeoutMs = 60_000 * slowdown,
): Promise<void> {
  await page.waitForFunction(
    () => {
      const app = document.querySelector('ds-app') as unknown as {
        session: { state: { computing: boolean } };
        shadowRoot: ShadowRoot | null;
      } | null;
      const root = app?.shadowRoot?.querySelector('ds-diagram')?.shadowRoot;
      const chunks = [...(root?.querySelectorAll<HTMLElement>('.chunk') ?? [])];
      // The whole run computed (its later commands come in idle time) and every command drawn.
      return (
        app?.session.state.computing === false &&
        chunks.length > 0 &&
        chunks.every((c) => c.dataset.drawn === 'whole')
      );
    },
    undefined,
    { timeout: timeoutMs, polling: 500 },
  );
  await page.waitForTimeout(1000 * slowdown);
}

/**
 * Step to paint, over every step of a 400-message run: the step starts at the beginning of a
 * frame (as Chromium delivers input aligned to frames) and ends when that frame has been
 * painted, which is when a task queued from inside the frame runs. The wait for the display's
 * next vsync before the step is not the page's to spend, so it is not counted. With `stamp`,
 * each step's window is marked in the trace (console.timeStamp `step-start`, `step-end`).
 */
export function stepTimes(page: Page, steps: number, stamp = false): Promise<number[]> {
  return page.evaluate(
    async ({ n, stamp }) => {
      const app = document.querySelector('ds-app') as unknown as {
        session: { next(): void; seek(k: number): void };
      };
      const settle = () =>
        new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const mark = (label: string) => (stamp ? console.timeStamp(label) : undefined);
      app.session.seek(0);
      await settle();
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        await new Promise<void>((resolve) =>
          requestAnimationFrame(() => {
            const t0 = performance.now();
            mark('step-start');
            app.session.next();
            setTimeout(() => (mark('step-end'), out.push(performance.now() - t0), resolve()), 0);
          }),
        );
        await settle(); // work a step defers to the next frame (the event list's scroll) is not the next step's
      }
      return out;
    },
    { n: steps, stamp },
  );
}
