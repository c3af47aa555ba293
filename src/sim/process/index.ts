/**
 * The process model: what runs inside a simulated container, deterministic, in virtual time.
 * See types.ts for the contract with the simulated runtime, driver.ts for scheduling and signal
 * semantics, shell.ts for `sh -c`, nginx.ts and redis.ts for the two servers.
 */
export type { ProcessEffect, ProcessEnv, SimProcess, SpawnResult } from './types.ts';
export { spawnProcess } from './spawn.ts';
export { signalName, signalNumber } from './signals.ts';
export { NGINX_VERSION, HOST_KERNEL } from './nginx.ts';
export { REDIS_VERSION } from './redis.ts';
