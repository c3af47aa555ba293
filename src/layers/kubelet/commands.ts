import { isKubectlError, parseKubectlWords, type KubectlCommand } from '../../cli/kubectl.ts';
import { splitShellWords } from '../../cli/shellWords.ts';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import { podsTable } from '../../views/kubectl.ts';
import type { OperationProgram } from '../operation.ts';
import { TERMINATION_GRACE_SECONDS, type Kubelet, type PodRecord } from './kubelet.ts';
import { killPod, removePod, syncPod } from './syncPod.ts';

/**
 * One kubectl line, from the kubelet's side. kubectl talks to the API server only; here the
 * kubelet stands in for it, so what the API server would answer (`pod/web created`, NotFound,
 * AlreadyExists, the pod list) comes from the kubelet's own record of its pods, and what the
 * kubelet then does on the node is drawn as it happens. `kubectl run` returns as soon as the pod
 * object exists, before the node runs anything; `kubectl delete` prints at once and then waits
 * until the pod is gone, which is after the kubelet has stopped its containers and sandbox.
 */
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function* run(k: Kubelet, msg: Message, cmd: Extract<KubectlCommand, { name: 'run' }>): OperationProgram {
  if (k.pods.has(cmd.pod)) {
    k.err(`Error from server (AlreadyExists): pods "${cmd.pod}" already exists`);
    return k.exit(msg, 1, 'kubectl.error.reply');
  }
  if (!DNS_1123.test(cmd.pod) || cmd.pod.length > 253) {
    k.err(
      `The Pod "${cmd.pod}" is invalid: metadata.name: Invalid value: "${cmd.pod}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    return k.exit(msg, 1, 'kubectl.error.reply');
  }
  const pod: PodRecord = {
    name: cmd.pod,
    namespace: 'default',
    uid: k.newUid(),
    image: cmd.image,
    restart: cmd.restart,
    env: cmd.env,
    args: cmd.args,
    createdMs: k.now(),
    status: 'Pending',
    ready: false,
    restarts: 0,
  };
  k.pods.set(pod.name, pod);
  k.out(`pod/${pod.name} created`);
  k.exit(msg, 0, 'kubectl.run.reply');
  yield* syncPod(k, pod);
}

function* remove(
  k: Kubelet,
  msg: Message,
  cmd: Extract<KubectlCommand, { name: 'delete' }>,
): OperationProgram {
  const pod = k.pods.get(cmd.pod);
  if (!pod) {
    k.err(`Error from server (NotFound): pods "${cmd.pod}" not found`);
    return k.exit(msg, 1, 'kubectl.error.reply');
  }
  pod.status = 'Terminating';
  // delete.go prints as soon as the API server accepts the deletion, then waits for the pod to go.
  k.out(`pod "${pod.name}" deleted from ${pod.namespace} namespace`);
  yield* killPod(k, pod, cmd.gracePeriod ?? TERMINATION_GRACE_SECONDS);
  k.pods.delete(pod.name);
  k.exit(msg, 0, 'kubectl.delete.reply');
  yield* removePod(k, pod);
}

function get(k: Kubelet, msg: Message): void {
  const pods = [...k.pods.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (pods.length === 0) k.err('No resources found in default namespace.');
  else
    k.out(
      podsTable(
        pods.map((p) => ({
          name: p.name,
          ready: `${p.ready ? 1 : 0}/1`,
          status: p.status,
          restarts: p.restarts,
          ageMs: k.now() - p.createdMs,
        })),
      ),
    );
  k.exit(msg, 0, 'kubectl.get.reply');
}

export function* kubectlLine(k: Kubelet, msg: Message): OperationProgram {
  const line = String(((msg.payload ?? {}) as JsonObject).line ?? '');
  k.lines++;
  const parsed = parseKubectlWords(splitShellWords(line).slice(1));
  if (isKubectlError(parsed)) {
    k.err(parsed.stderr);
    return k.exit(msg, parsed.exitCode, 'kubectl.error.reply');
  }
  if (parsed.name === 'run') return yield* run(k, msg, parsed);
  if (parsed.name === 'delete') return yield* remove(k, msg, parsed);
  get(k, msg);
}
