import type { RestartPolicy } from '../../cli/kubectl.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Wire } from '../../wire/wire.ts';
import type { Effect } from '../operation.ts';
import type { Ports } from '../ports.ts';
import { draft, replyDraft, type PostOptions } from '../post.ts';

/**
 * The kubelet (Kubernetes v1.34), the node agent: it watches the API server for the pods bound
 * to its node and makes the container runtime run them, through CRI — gRPC to containerd's
 * socket, `runtime.v1.RuntimeService` and `runtime.v1.ImageService` (k8s.io/cri-api). The API
 * server and the scheduler are not drawn: the user's line reaching the kubelet stands for the
 * pod object reaching it through its watch, and the kubelet's answer for the API server's.
 * https://github.com/kubernetes/kubernetes/tree/v1.34.0/pkg/kubelet/kuberuntime
 */
export interface PodRecord {
  name: string;
  namespace: string;
  uid: string;
  image: string;
  restart: RestartPolicy;
  env: string[];
  args: string[];
  createdMs: number;
  /** The status kubectl shows: Pending, ContainerCreating, Running, ErrImagePull, Terminating… */
  status: string;
  ready: boolean;
  restarts: number;
  sandboxId?: string;
  containerId?: string;
  ip?: string;
}

/** Pod spec defaults the API server applies (pkg/apis/core/v1/defaults.go). */
export const TERMINATION_GRACE_SECONDS = 30;

export class Kubelet {
  readonly pods = new Map<string, PodRecord>();
  /** kubectl lines that reached this node: once there is one, the host is a Kubernetes node. */
  lines = 0;

  constructor(
    readonly wire: Wire,
    readonly ports: Ports,
  ) {}

  /** A CRI call on /run/containerd/containerd.sock. */
  cri(op: string, call: string, payload: JsonObject, o: PostOptions = {}): Effect {
    return { kind: 'call', draft: draft('kubelet', 'containerd', op, call, { payload, ...o }) };
  }

  out(text: string): void {
    this.wire.output('stdout', text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.wire.output('stderr', text.endsWith('\n') ? text : `${text}\n`);
  }

  /** kubectl exits: the command's answer to the user. */
  exit(msg: Message, code: number, narration: string): void {
    this.wire.reply(
      msg,
      replyDraft('kubelet.command', `exit ${code}`, {
        payload: { exitCode: code },
        params: { code },
        narration,
      }),
    );
  }

  now(): number {
    return this.ports.clock.now();
  }

  /** A pod's UID: a random (version 4) UUID, as the API server gives it. */
  newUid(): string {
    const h = this.ports.ids.hex(32);
    const variant = ((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export function short(id: string): string {
  return id.slice(0, 12);
}

export function asReply(value: unknown): Message {
  if (typeof value === 'object' && value !== null && 'seq' in value) return value as Message;
  throw new Error('kubelet: expected a reply from containerd');
}
