import type { Profile, Trace } from '../../src/model/trace.ts';
import type { SimulationOptions } from '../../src/sim/simulation.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import type { LayerState } from './layerStates.ts';

/**
 * Where the page's simulation runs. The simulation is most of the page's code, and a long run
 * takes a few hundred milliseconds on a cold start, while the first diagram also waits for
 * Mermaid. So the page runs the simulation in a worker of its own (workerRunner.ts; on the
 * page's thread, as a chunk of its own, where there is no worker: lazyRunner.ts), and a run
 * can hand over its first commands before the rest: the page draws them first. The service
 * behind both (runService.ts) runs anywhere, tests included.
 *
 * Lifecycle: `run` computes a whole run (the trace, plain data); `host` and `layers` replay the
 * same run to a position and read the host or each layer's machines there. The service keeps the
 * replaying world of the last run it was asked about, so stepping forward costs one step.
 *
 * Glossary: a *run* is the command lines with their seed and engine profile; a *position* is a
 * step number in it (0: before the first message).
 */
/**
 * A run: its commands, seed and profile, and a lesson's world, faults, dockerd configuration,
 * platform and host files, as the simulation takes them (a type only: the page's first chunk
 * stays free of the simulation).
 */
export type RunRequest = {
  commands: readonly string[];
  seed: number;
  profile: Profile;
} & Pick<SimulationOptions, 'setup' | 'faults' | 'daemon' | 'platform' | 'files' | 'cwd'>;

/**
 * Asked of a run: the trace so far as soon as it holds message `want` (the page's position),
 * while the rest is still being computed; `pause` lets the page draw between later commands.
 */
export interface RunPart {
  want: number;
  take(trace: Trace): void;
  pause?: () => Promise<void>;
}

export interface Runner {
  run(req: RunRequest, part?: RunPart): Promise<Trace>;
  host(req: RunRequest, position: number): Promise<HostSnapshot>;
  layers(req: RunRequest, position: number): Promise<LayerState[]>;
}
