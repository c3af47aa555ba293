/**
 * The `Status` text dockerd puts in `GET /containers/json` (and `docker ps` prints as is):
 * `State.String()` in the daemon, computed with the daemon's clock.
 * https://github.com/moby/moby/blob/v28.2.2/container/state.go (String)
 * https://github.com/moby/moby/blob/v28.2.2/container/health.go (Health.String)
 */
import { humanDuration } from './units.ts';

export type ContainerStateName =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** Health status as the API spells it; "" (monitor not set up yet) reads as unhealthy. */
export type HealthStatusName = 'starting' | 'healthy' | 'unhealthy' | 'none' | '';

export interface ContainerStateInput {
  status: ContainerStateName;
  exitCode: number;
  /** Unix ms of the last start; 0 or undefined = never started (Go's zero time). */
  startedAtMs?: number;
  /** Unix ms of the last exit; 0 or undefined = never exited. */
  finishedAtMs?: number;
  health?: HealthStatusName;
}

function healthText(health: HealthStatusName): string {
  if (health === 'starting') return 'health: starting';
  return health === '' ? 'unhealthy' : health;
}

/**
 * Paused and restarting containers are still "running" to dockerd, so they get the Up/Restarting
 * texts; "Restarting (1) 2 seconds ago" counts from the last exit, "Up" from the last start.
 */
export function containerStatus(state: ContainerStateInput, nowMs: number): string {
  const started = state.startedAtMs ?? 0;
  const finished = state.finishedAtMs ?? 0;
  switch (state.status) {
    case 'paused':
      return `Up ${humanDuration(nowMs - started)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.exitCode}) ${humanDuration(nowMs - finished)} ago`;
    case 'running': {
      const up = `Up ${humanDuration(nowMs - started)}`;
      // Health.String() is shown only when a healthcheck is configured (State.Health != nil).
      return state.health === undefined || state.health === 'none'
        ? up
        : `${up} (${healthText(state.health)})`;
    }
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    case 'exited':
      // String() looks at StartedAt, not the state name: a container whose start failed has
      // none and still reads "Created".
      if (started === 0) return 'Created';
      if (finished === 0) return '';
      return `Exited (${state.exitCode}) ${humanDuration(nowMs - finished)} ago`;
  }
}
