/**
 * dockerd's restart manager, one per container, kept in memory only (a new dockerd makes new
 * ones from each container's RestartCount). It decides, at each exit, whether the container
 * comes back and after how long: the back-off starts at 100 ms and doubles at each restart up to
 * a minute, and goes back to 100 ms when the container had run for 10 s or more. A stop or a
 * kill cancels it for good (moby container.ExitOnNext).
 * https://github.com/moby/moby/blob/v20.10.24/restartmanager/restartmanager.go
 * https://docs.docker.com/engine/containers/start-containers-automatically/
 */

/** HostConfig.RestartPolicy as the Engine API spells it. */
export interface RestartPolicy {
  /** `no`, `always`, `unless-stopped`, `on-failure`; "" reads as `no`. */
  Name: string;
  MaximumRetryCount: number;
}

export interface RestartManager {
  policy: RestartPolicy;
  /** Restarts so far, counted from the container's RestartCount when the manager was made. */
  restartCount: number;
  /** The last back-off given; 0 before the first. */
  timeoutMs: number;
  /** A back-off is running. */
  active: boolean;
  canceled: boolean;
}

export const DEFAULT_TIMEOUT_MS = 100;
export const MAX_RESTART_TIMEOUT_MS = 60_000;
const BACKOFF_MULTIPLIER = 2;
/** A run this long resets the back-off ("if the container ran for more than 10s"). */
const RESET_AFTER_MS = 10_000;

export const NO_RESTART: RestartPolicy = { Name: 'no', MaximumRetryCount: 0 };

export function newRestartManager(policy: RestartPolicy, restartCount: number): RestartManager {
  return { policy, restartCount, timeoutMs: 0, active: false, canceled: false };
}

export type RestartDecision = { restart: true; timeoutMs: number } | { restart: false; canceled: boolean };

/**
 * restartManager.ShouldRestart: `stopped` is HasBeenManuallyStopped (or the daemon shutting
 * down); `ranMs` how long the container ran. `always` ignores `stopped`: only a cancel holds it.
 */
export function shouldRestart(
  rm: RestartManager,
  exitCode: number,
  stopped: boolean,
  ranMs: number,
): RestartDecision {
  const name = rm.policy.Name;
  if (name === '' || name === 'no') return { restart: false, canceled: false };
  if (rm.canceled) return { restart: false, canceled: true };
  if (ranMs >= RESET_AFTER_MS) rm.timeoutMs = 0;
  if (rm.timeoutMs === 0) rm.timeoutMs = DEFAULT_TIMEOUT_MS;
  else if (rm.timeoutMs < MAX_RESTART_TIMEOUT_MS) rm.timeoutMs *= BACKOFF_MULTIPLIER;
  rm.timeoutMs = Math.min(rm.timeoutMs, MAX_RESTART_TIMEOUT_MS);
  if (!policyRestarts(rm, exitCode, stopped)) {
    rm.active = false;
    return { restart: false, canceled: false };
  }
  rm.restartCount++;
  rm.active = true;
  return { restart: true, timeoutMs: rm.timeoutMs };
}

function policyRestarts(rm: RestartManager, exitCode: number, stopped: boolean): boolean {
  const { Name, MaximumRetryCount: max } = rm.policy;
  if (Name === 'always') return true;
  if (Name === 'unless-stopped') return !stopped;
  // on-failure: a count of 0 means no limit.
  if (Name === 'on-failure') return (max === 0 || rm.restartCount < max) && exitCode !== 0;
  return false;
}

/**
 * moby daemon/container.go validateRestartPolicy (create and update), as the Engine answers
 * (400): `invalid restart policy 'bogus'`, `maximum retry count cannot be used with restart policy 'always'`.
 */
export function restartPolicyError(policy: RestartPolicy): string | undefined {
  switch (policy.Name) {
    case 'always':
    case 'unless-stopped':
    case 'no':
      return policy.MaximumRetryCount !== 0
        ? `maximum retry count cannot be used with restart policy '${policy.Name}'`
        : undefined;
    case 'on-failure':
      return policy.MaximumRetryCount < 0 ? 'maximum retry count cannot be negative' : undefined;
    case '':
      return undefined;
    default:
      return `invalid restart policy '${policy.Name}'`;
  }
}

/** HostConfig.RestartPolicy from a create request's body (missing or malformed: none). */
export function restartPolicyOf(host: Record<string, unknown>): RestartPolicy {
  const p = host.RestartPolicy;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return NO_RESTART;
  const { Name, MaximumRetryCount } = p as Record<string, unknown>;
  return { Name: typeof Name === 'string' ? Name : '', MaximumRetryCount: Number(MaximumRetryCount ?? 0) };
}
