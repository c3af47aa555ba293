import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { OperationProgram } from '../operation.ts';
import {
  createContainer,
  handleTaskExit,
  removeContainer,
  startContainer,
  stopContainer,
} from './criContainer.ts';
import { imageStatus, pullImageRpc } from './criImage.ts';
import { podSandboxStatus, removePodSandbox, runPodSandbox, stopPodSandbox } from './criSandbox.ts';
import { Cri, K8S_NAMESPACE, payloadOf, type CriState } from './criState.ts';

/**
 * The CRI plugin's gRPC methods, one operation per request (the plugin serves each RPC in its
 * own goroutine), and its event monitor. The kubelet's requests carry the op `cri.<Method>`;
 * the plugin answers each with the method's response message or a gRPC status.
 */
type Rpc = (cri: Cri, req: Message) => OperationProgram;

const RPC: Readonly<Record<string, Rpc>> = {
  'cri.RunPodSandbox': runPodSandbox,
  'cri.PodSandboxStatus': podSandboxStatus,
  'cri.StopPodSandbox': stopPodSandbox,
  'cri.RemovePodSandbox': removePodSandbox,
  'cri.CreateContainer': createContainer,
  'cri.StartContainer': startContainer,
  'cri.StopContainer': stopContainer,
  'cri.RemoveContainer': removeContainer,
  'cri.ImageStatus': imageStatus,
  'cri.PullImage': pullImageRpc,
};

export const CRI_OPS: readonly string[] = Object.keys(RPC);

export function* criRequest(cri: Cri, req: Message): OperationProgram {
  const rpc = RPC[req.op];
  if (rpc) yield* rpc(cri, req);
}

/** A task event of the k8s.io namespace: is it a task's (not an exec's) exit the monitor acts on? */
export function isCriTaskExit(state: CriState, p: JsonObject): boolean {
  const id = String(p.id ?? '');
  // The shim gives the init process's exit the container's own id as exec id.
  const init = p.execId === undefined || p.execId === id;
  return p.topic === '/tasks/exit' && init && (state.containers.has(id) || state.sandboxes.has(id));
}

export function* criTaskExit(cri: Cri, msg: Message): OperationProgram {
  const p = payloadOf(msg);
  yield* handleTaskExit(cri, String(p.id ?? ''), Number(p.exitStatus ?? 0));
}

/** The plugin copies the container's stdout and stderr FIFOs into its CRI log file. */
export function criLog(state: CriState, msg: Message, at: number): void {
  const p = payloadOf(msg);
  const c = state.containers.get(String(p.id ?? ''));
  if (c) c.log.push({ at, stream: p.stream === 'stderr' ? 'stderr' : 'stdout', text: String(p.text ?? '') });
}

export { Cri, K8S_NAMESPACE };
