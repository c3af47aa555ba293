import { setup } from 'xstate';

/**
 * A container's state in dockerd (moby's container.State): created, running (possibly paused),
 * exited, removing, removed. The transitions are the status checks dockerd makes before acting:
 * an operation asks `snapshot.can(event)` and answers with docker's own error when it cannot
 * (`You cannot remove a running container …`, `Container … is not paused`).
 * https://docs.docker.com/reference/api/engine/version/v1.44/#tag/Container
 */
export type ContainerLifecycleEvent =
  | { type: 'START' }
  | { type: 'STARTED' }
  | { type: 'START_FAILED' }
  | { type: 'PAUSE' }
  | { type: 'UNPAUSE' }
  | { type: 'EXITED' }
  | { type: 'REMOVE' }
  | { type: 'REMOVED' };

export const containerMachine = setup({
  types: {
    context: {} as { id: string },
    events: {} as ContainerLifecycleEvent,
    input: {} as { id: string },
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => input,
  initial: 'created',
  states: {
    created: { on: { START: 'starting', REMOVE: 'removing' } },
    starting: { on: { STARTED: 'running', START_FAILED: 'created', EXITED: 'exited' } },
    running: {
      initial: 'unpaused',
      on: { EXITED: 'exited' },
      states: {
        unpaused: { on: { PAUSE: 'paused' } },
        paused: { on: { UNPAUSE: 'unpaused' } },
      },
    },
    exited: { on: { START: 'starting', REMOVE: 'removing' } },
    removing: { on: { REMOVED: 'removed' } },
    removed: { type: 'final' },
  },
});
