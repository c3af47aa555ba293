import { setup } from 'xstate';

/**
 * A container's state in dockerd (moby's container.State): created, running (possibly paused,
 * or restarting: moby keeps Running true while a restart policy waits out its back-off, "because
 * of all the checks in docker around rm/stop/etc", container/state.go SetRestarting), exited,
 * removing, removed. The transitions are the status checks dockerd makes before acting:
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
  /** The process exited and the restart policy brings it back after a back-off. */
  | { type: 'RESTARTING' }
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
        unpaused: { on: { PAUSE: 'paused', RESTARTING: 'restarting' } },
        paused: { on: { UNPAUSE: 'unpaused' } },
        restarting: { on: { START: '#container.starting' } },
      },
    },
    exited: { on: { START: 'starting', REMOVE: 'removing' } },
    removing: { on: { REMOVED: 'removed' } },
    removed: { type: 'final' },
  },
});
