import type { JsonObject } from '../../model/json.ts';
import type { LayerInput } from '../ports.ts';

/**
 * Publish on containerd's event service (what `ctr events` prints), in Docker's namespace `moby`
 * unless another is named (`k8s.io`, the CRI plugin's).
 */
export function publishCtrd(ctx: LayerInput, topic: string, event: JsonObject, namespace = 'moby'): void {
  ctx.wire.containerdEvent({ timestamp: ctx.ports.clock.now(), namespace, topic, event });
}
