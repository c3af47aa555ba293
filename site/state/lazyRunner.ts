import type { Trace } from '../../src/model/trace.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import type { LayerState } from './layerStates.ts';
import type { Runner, RunPart, RunRequest } from './runner.ts';
import { firstDiagram } from './phases.ts';
import type { RunService } from './runService.ts';

/**
 * The Runner port on the page's own thread, for a browser that cannot run it in a worker (see
 * workerRunner.ts). The simulation's code is a chunk of its own, asked for when this runner is
 * made, so the page's first script stays small. A run that hands over a first part continues,
 * command by command in idle time, only once that part is drawn (see phases.ts).
 */
export class LazyRunner implements Runner {
  private readonly service: Promise<RunService> = import('./runService.ts').then((m) => new m.RunService());

  async run(req: RunRequest, part?: RunPart): Promise<Trace> {
    const service = await this.service;
    return service.run(req, part && { ...part, pause: () => firstDiagram.then(idle) });
  }

  async host(req: RunRequest, position: number): Promise<HostSnapshot> {
    return (await this.service).host(req, position);
  }

  async layers(req: RunRequest, position: number): Promise<LayerState[]> {
    return (await this.service).layers(req, position);
  }
}

/** An idle moment of the page's thread (at most a second away). */
export function idle(): Promise<void> {
  return new Promise((resolve) =>
    'requestIdleCallback' in globalThis
      ? requestIdleCallback(() => resolve(), { timeout: 1000 })
      : setTimeout(resolve, 0),
  );
}
