import { setup, spawnChild } from 'xstate';
import type { WireEvent } from '../../wire/wire.ts';
import { operationMachine, TopicWaiters } from '../operation.ts';
import type { LayerInput } from '../ports.ts';
import { kubectlLine } from './commands.ts';
import { Kubelet } from './kubelet.ts';

/**
 * The kubelet as a participant. Each kubectl line that reaches it is one operation (a pod worker
 * syncing the pod, in the kubelet): its CRI calls to containerd are requests on the wire, one
 * after the other, as kuberuntime makes them. The kubelet's record of its pods lives on between
 * lines. See kubelet.ts for what is and is not drawn.
 */
type Ctx = LayerInput & { kubelet: Kubelet; waiters: TopicWaiters };

export const kubeletMachine = setup({
  types: { context: {} as Ctx, events: {} as WireEvent, input: {} as LayerInput },
  actors: { operation: operationMachine },
  actions: {
    runKubectlLine: spawnChild('operation', {
      input: ({ context, event }) => ({
        wire: context.wire,
        waiters: context.waiters,
        program: kubectlLine(context.kubelet, event.msg),
      }),
    }),
  },
}).createMachine({
  id: 'kubelet',
  context: ({ input }) => ({
    ...input,
    kubelet: new Kubelet(input.wire, input.ports),
    waiters: new TopicWaiters(),
  }),
  on: { 'kubelet.command': { actions: 'runKubectlLine' } },
});
