import type { ImageConfig } from '../../model/image.ts';
import type { JsonObject, JsonValue } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Participant } from '../../model/participants.ts';
import type { Wire } from '../../wire/wire.ts';
import { TopicWaiters, type Effect } from '../operation.ts';
import type { Ports } from '../ports.ts';
import { draft, replyDraft, type PostOptions } from '../post.ts';
import type { ImageLayerRecord } from './imageService.ts';

/**
 * containerd's CRI plugin (`io.containerd.grpc.v1.cri`, containerd 2.2): the gRPC server the
 * kubelet calls on /run/containerd/containerd.sock for `runtime.v1.RuntimeService` and
 * `runtime.v1.ImageService` (k8s.io/cri-api api.proto). It lives inside containerd and uses
 * containerd's own services in process — containers, tasks, snapshots, content, images — in the
 * containerd namespace `k8s.io`, apart from Docker's `moby`. It keeps its own in-memory stores
 * of sandboxes, containers and images (internal/cri/store) and watches containerd's task events
 * to notice exits (internal/cri/server/events.go).
 * https://github.com/containerd/containerd/tree/v2.2.0/internal/cri
 */
export const K8S_NAMESPACE = 'k8s.io';

/** What the kubelet sends as PodSandboxConfig.metadata. */
export interface PodMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface CriSandbox {
  id: string;
  /** makeSandboxName: name_namespace_uid_attempt, reserved so two sandboxes cannot share it. */
  name: string;
  metadata: PodMetadata;
  hostname: string;
  logDirectory: string;
  cgroupParent: string;
  netns: string;
  state: 'ready' | 'notready';
  pid: number;
  ips: string[];
  createdMs: number;
  snapshotKey: string;
}

export interface CriContainer {
  id: string;
  /** makeContainerName: container_pod_namespace_uid_attempt. */
  name: string;
  metadataName: string;
  sandboxId: string;
  imageId: string;
  imageName: string;
  state: 'created' | 'running' | 'exited';
  pid: number;
  exitCode: number;
  createdMs: number;
  startedMs: number;
  finishedMs: number;
  logPath: string;
  stopSignal: string;
  snapshotKey: string;
  /** What the container wrote, as the plugin copies it into its CRI log file (`TIME STREAM F TEXT`). */
  log: { at: number; stream: 'stdout' | 'stderr'; text: string }[];
}

/** An image in the k8s.io namespace: one record, reachable by its tag, digest and id references. */
export interface CriImage {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  config: ImageConfig;
  layers: ImageLayerRecord[];
  target: { mediaType: string; digest: string; size: number };
}

/** The CRI plugin's stores and the waiters of its event monitor: one per containerd. */
export class CriState {
  readonly sandboxes = new Map<string, CriSandbox>();
  readonly containers = new Map<string, CriContainer>();
  /** Image references (`docker.io/library/nginx:latest`, `…@sha256:`, `sha256:<id>`) → image. */
  readonly images = new Map<string, CriImage>();
  readonly waiters = new TopicWaiters();

  /** The CRI image service's resolution of a name the kubelet gives: tag, digest or id. */
  resolve(ref: string): CriImage | undefined {
    return (
      this.images.get(ref) ??
      [...new Set(this.images.values())].find((i) => i.id === ref || i.id === `sha256:${ref}`)
    );
  }

  uniqueImages(): CriImage[] {
    return [...new Set(this.images.values())];
  }
}

/** One CRI request being served: the helpers its handler (a generator program) uses. */
export class Cri {
  constructor(
    readonly wire: Wire,
    readonly ports: Ports,
    readonly state: CriState,
  ) {}

  call(to: Participant, op: string, call: string, o: PostOptions = {}): Effect {
    return { kind: 'call', draft: draft('containerd', to, op, call, o) };
  }

  /** A call to one of containerd's own services, in process (drawn as an arrow to itself). */
  service(op: string, call: string, payload: JsonObject, narration: string, o: PostOptions = {}): Effect {
    return this.call('containerd', op, call, {
      payload: { ...payload, namespace: K8S_NAMESPACE },
      narration,
      ...o,
    });
  }

  self(op: string, call: string, o: PostOptions = {}): void {
    this.wire.self('containerd', draft('containerd', 'containerd', op, call, o));
  }

  /** A system call containerd makes itself (the pod's network namespace). */
  syscall(op: string, call: string, payload: JsonObject, params?: Record<string, string | number>): void {
    this.wire.event(draft('containerd', 'Kernel', op, call, { payload, ...(params ? { params } : {}) }));
  }

  /** Resolve when the task of `id` has exited and the event monitor has deleted it, or at the timeout. */
  *stopped(id: string, timeoutMs?: number): Generator<Effect, 'stopped' | 'timeout', unknown> {
    if (this.isStopped(id)) return 'stopped';
    const got = yield {
      kind: 'waitFor',
      topic: `stopped:${id}`,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
    return got === 'timeout' ? 'timeout' : 'stopped';
  }

  private isStopped(id: string): boolean {
    const c = this.state.containers.get(id);
    if (c) return c.state === 'exited';
    return this.state.sandboxes.get(id)?.state !== 'ready';
  }

  /** The gRPC answer to the kubelet: OK with the response message, or a gRPC status. */
  reply(req: Message, call: string, payload: JsonValue, o: PostOptions = {}): void {
    this.wire.reply(req, replyDraft(req.op, call, { payload, status: 'OK', ...o }));
  }

  fail(req: Message, code: 'NotFound' | 'Unknown' | 'FailedPrecondition', message: string): void {
    this.wire.reply(
      req,
      replyDraft(req.op, `${code}: ${message}`, {
        ok: false,
        status: code,
        payload: { code, message },
        narration: 'cri.error.reply',
        params: { message },
      }),
    );
  }

  now(): number {
    return this.ports.clock.now();
  }

  /** util.GenerateID: 32 random bytes, hex. */
  newId(): string {
    return this.ports.ids.id64();
  }
}

export function asReply(value: unknown): Message {
  if (typeof value === 'object' && value !== null && 'seq' in value) return value as Message;
  throw new Error('cri: expected a reply');
}

/** Replies to the plugin's in-process calls are narrated for the CRI, not for dockerd. */
export function criReplyKey(request: Message): string | undefined {
  return request.narration.key.startsWith('cri.') ? `${request.narration.key}.reply` : undefined;
}

export const payloadOf = (msg: Message): JsonObject => (msg.payload ?? {}) as JsonObject;

export function short(id: string): string {
  return id.slice(0, 12);
}
