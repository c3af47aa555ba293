// What a real shim saw happen to a container's processes reaches the shim participant as the
// kernel told the shim (SIGCHLD, memory.events), as the simulated runtime's events do. The shim
// forwards its events to the engine's ttrpc events service (engine/shim/events.ts).
import type { JsonObject } from '../../src/model/json.ts';
import { draft } from '../../src/layers/post.ts';
import type { Wire } from '../../src/wire/wire.ts';
import type { TaskEvent } from '../shim/events.ts';
import type { OomWitness } from './oomWitness.ts';

/** One shim event as the Kernel's message to the shim participant. */
export function tellShimEvent(wire: Wire, oom: OomWitness, event: TaskEvent): void {
  if (event.topic === '/tasks/exit') {
    const e = event.event;
    // An exec's exit names its exec id; the init's names the container.
    const payload: JsonObject = {
      type: 'exit',
      containerId: e.containerId,
      pid: e.pid,
      status: e.exitStatus,
    };
    if (e.id !== e.containerId) payload.execId = e.id;
    const unreported = e.id === e.containerId ? oom.unreportedAtExit(e.containerId, e.exitStatus) : undefined;
    if (unreported !== undefined) tellOom(wire, e.containerId, unreported);
    wire.event(
      draft('Kernel', 'shim', 'kernel.exit', `SIGCHLD → wait4(${e.pid}) = ${e.exitStatus}`, { payload }),
    );
  } else if (event.topic === '/tasks/oom') {
    const id = event.event.containerId;
    if (oom.shimReported(id)) tellOom(wire, id, 'memory.events: oom_kill 1');
  }
}

function tellOom(wire: Wire, containerId: string, call: string): void {
  const payload = { type: 'oom', containerId };
  wire.event(draft('Kernel', 'shim', 'kernel.oom', call, { payload }));
}
