import type { Trace } from '../../src/model/trace.ts';
import { hostSnapshot } from '../../src/sim/hostSnapshot.ts';
import type { World } from '../../src/sim/world.ts';
import type { HostSnapshot } from '../../src/views/host.ts';
import { Simulation, type SimulationOptions } from '../../src/sim/simulation.ts';
import { Stepper } from '../../src/sim/stepper.ts';
import { readLayerStates, type LayerState } from './layerStates.ts';
import type { Runner, RunPart, RunRequest } from './runner.ts';

/** The simulation behind the Runner port, in whatever thread imports it (see runner.ts). */
export class RunService implements Runner {
  private stepper: Stepper | undefined;
  private stepperFor = '';
  /** The last run computed, kept so a run that only adds lines (a typed command) goes on from it. */
  private last: { key: string; commands: readonly string[]; sim: Simulation } | undefined;

  /**
   * The whole run, one command at a time (a run's trace up to a command does not depend on the
   * commands after it). Once the commands so far hold message `part.want`, the trace so far is
   * handed to `part.take`, and `part.pause` is awaited between the later commands, so the page
   * can draw what it has before the rest is computed.
   */
  async run(req: RunRequest, part?: RunPart): Promise<Trace> {
    const key = JSON.stringify([
      req.seed,
      req.profile,
      req.setup ?? [],
      req.faults ?? [],
      req.daemon ?? {},
      req.platform ?? 'linux',
      req.files ?? {},
      req.cwd ?? '/',
    ]);
    const kept = this.continuable(key, req.commands);
    // Taken while it runs: a second run asked meanwhile starts a simulation of its own.
    this.last = undefined;
    const sim = kept ?? new Simulation([], simOptions(req));
    let sent = !part;
    for (const [i, line] of req.commands.entries()) {
      if (i < sim.commands.length) continue;
      sim.append([line]);
      sim.runToEnd();
      if (part && !sent && i < req.commands.length - 1 && countMessages(sim.trace) > part.want) {
        sent = true;
        part.take(copy(sim.trace, req.commands));
      }
      if (sent && part?.pause) await part.pause();
    }
    this.last = { key, commands: [...req.commands], sim };
    return copy(sim.trace, req.commands);
  }

  /**
   * The kept simulation, when the run asked for is the kept one with lines added: a finished
   * run continued with more lines makes the same trace as a run given them all from the start
   * (Simulation.append).
   */
  private continuable(key: string, commands: readonly string[]): Simulation | undefined {
    const last = this.last;
    if (!last || last.key !== key || last.commands.length > commands.length) return undefined;
    return last.commands.every((c, i) => c === commands[i]) ? last.sim : undefined;
  }

  async host(req: RunRequest, position: number): Promise<HostSnapshot> {
    return hostSnapshot(this.worldAt(req, position), req.profile);
  }

  async layers(req: RunRequest, position: number): Promise<LayerState[]> {
    return readLayerStates(this.worldAt(req, position));
  }

  /** The world after `position`; the stepper is kept while the run stays the same. */
  private worldAt(req: RunRequest, position: number): World {
    const key = JSON.stringify([
      req.commands,
      req.seed,
      req.profile,
      req.setup ?? [],
      req.faults ?? [],
      req.daemon ?? {},
      req.platform ?? 'linux',
      req.files ?? {},
      req.cwd ?? '/',
    ]);
    if (!this.stepper || key !== this.stepperFor) {
      this.stepper = new Stepper([...req.commands], simOptions(req));
      this.stepperFor = key;
    }
    this.stepper.seek(position);
    return this.stepper.world;
  }
}

/** The simulation a request asks for: its seed and profile, and a lesson's world and faults. */
function simOptions(req: RunRequest): SimulationOptions {
  return {
    seed: req.seed,
    profile: req.profile,
    setup: req.setup ?? [],
    faults: req.faults ?? [],
    ...(req.daemon ? { daemon: req.daemon } : {}),
    ...(req.platform ? { platform: req.platform } : {}),
    ...(req.files ? { files: req.files } : {}),
    ...(req.cwd ? { cwd: req.cwd } : {}),
  };
}

/** A trace of its own: the kept simulation goes on writing into its own arrays. */
function copy(trace: Trace, commands: readonly string[]): Trace {
  return { ...trace, commands: [...commands], entries: [...trace.entries] };
}

function countMessages(trace: Trace): number {
  let n = 0;
  for (const e of trace.entries) if (e.type === 'message') n++;
  return n;
}
