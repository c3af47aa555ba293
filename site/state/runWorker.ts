import type { Trace } from '../../src/model/trace.ts';
import { RunService } from './runService.ts';
import { TraceSender } from './traceParts.ts';
import type { RunAnswer, RunAsk } from './workerRunner.ts';

/**
 * The simulation's thread (see workerRunner.ts): one RunService answers the page's asks in the
 * order they come. A run hands over its first commands as soon as they hold the page's
 * position, and goes on with the rest once the page says its first diagram is drawn.
 */
const service = new RunService();

/**
 * The page's first diagram is on screen: until then a run stops after its first part, so its
 * later commands do not take the machine from the drawing the page is waiting for.
 */
let drawn: () => void = () => undefined;
const firstDrawn = new Promise<void>((resolve) => (drawn = resolve));

function send(answer: RunAnswer): void {
  postMessage(answer);
}

/** Each trace goes to the page as what it adds to the last one sent (see TracePart). */
const traces = new TraceSender();

async function answer(ask: RunAsk): Promise<void> {
  const { id } = ask;
  try {
    if (ask.kind === 'run') {
      const part =
        ask.want === undefined
          ? undefined
          : {
              want: ask.want,
              take: (trace: Trace) => send({ id, kind: 'part', value: traces.part(trace) }),
              pause: () => firstDrawn,
            };
      const trace = await service.run(ask.req, part);
      send({ id, kind: 'trace', value: traces.part(trace) });
    } else if (ask.kind === 'host') {
      send({ id, kind: 'host', value: await service.host(ask.req, ask.position) });
    } else {
      send({ id, kind: 'layers', value: await service.layers(ask.req, ask.position) });
    }
  } catch (e) {
    send({ id, kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

addEventListener('message', (e: MessageEvent<RunAsk | { kind: 'drawn' }>) => {
  if (e.data.kind === 'drawn') drawn();
  else void answer(e.data);
});
