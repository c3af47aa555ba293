import { setup } from 'xstate';

/**
 * One snapshot's life (containerd's snapshotter / overlay2's layer): an *active* snapshot is
 * writable and becomes *committed* (read-only, a lower dir for others) or is removed.
 * https://github.com/containerd/containerd/blob/main/core/snapshots/snapshotter.go
 */
export const snapshotMachine = setup({
  types: {
    context: {} as { key: string; parent: string | undefined; driver: string },
    events: {} as { type: 'commit' } | { type: 'remove' },
    input: {} as { key: string; parent: string | undefined; driver: string },
  },
}).createMachine({
  id: 'snapshot',
  context: ({ input }) => input,
  initial: 'active',
  states: {
    active: { on: { commit: 'committed', remove: 'removed' } },
    committed: { on: { remove: 'removed' } },
    removed: { type: 'final' },
  },
});
