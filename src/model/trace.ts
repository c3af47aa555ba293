import type { JsonObject } from './json.ts';
import type { Message, TextRef } from './message.ts';
import type { Platform } from './platform.ts';

/**
 * The trace: everything a run produced, in order. Messages are the steps; the other entries are
 * what the world printed or published at that point, so each view can be cut from one list.
 */
export type TraceEntry =
  | { type: 'command'; command: number; line: string; at: number }
  | { type: 'message'; message: Message }
  | { type: 'output'; command: number; stream: 'stdout' | 'stderr'; text: string; at: number }
  | { type: 'exit'; command: number; code: number; at: number }
  | { type: 'docker-event'; event: DockerEvent }
  | { type: 'containerd-event'; event: ContainerdEvent }
  | { type: 'note'; command: number; text: TextRef; at: number };

/** Shaped like `docker events --format '{{json .}}'` (Engine API `EventMessage`). */
export interface DockerEvent {
  status?: string;
  id?: string;
  from?: string;
  Type: 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'builder';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

/** One containerd event envelope (`ctr events`): topic, namespace and the event body. */
export interface ContainerdEvent {
  timestamp: number;
  namespace: string;
  topic: string;
  event: JsonObject;
}

export interface Trace {
  seed: number;
  profile: Profile;
  /** Present for Docker Desktop runs only, so a Linux run's trace is what it always was. */
  platform?: Platform;
  commands: string[];
  entries: TraceEntry[];
}

/**
 * `v29`: Docker Engine 29's default, the containerd image store: containerd pulls into its content
 * store and unpacks with its snapshotter. `classic`: dockerd pulls itself and stores layers with
 * the overlay2 graphdriver (Engine ≤ 28 default).
 */
export type Profile = 'v29' | 'classic';
export const PROFILES: readonly Profile[] = ['v29', 'classic'];
