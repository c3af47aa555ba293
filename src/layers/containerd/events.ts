import type { JsonObject } from '../../model/json.ts';
import type { LayerInput } from '../ports.ts';

/** Publish on containerd's event service (what `ctr events` prints), in Docker's namespace `moby`. */
export function publishCtrd(ctx: LayerInput, topic: string, event: JsonObject): void {
  ctx.wire.containerdEvent({ timestamp: ctx.ports.clock.now(), namespace: 'moby', topic, event });
}
