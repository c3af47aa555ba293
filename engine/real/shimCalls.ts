// The calls a real shim answers itself, without runc (src/layers/shim/shimEffects.ts shimCall):
// the task API's Delete of an exec process, ResizePty, CloseIO, Pids and Stats, on the
// container's real containerd-shim-runc-v2. The evidence is the shim's answer as it came: the
// exec's exit, the pids of the container's cgroup, the cgroup metrics (v1 or v2, as this host
// has them) as protobuf JSON with the proto's own field names.
import { toJson } from '@bufbuild/protobuf';
import { fromPromise } from 'xstate';
import type { ShimCallEvidence, ShimCallInput } from '../../src/layers/shim/shimEffects.ts';
import { isJsonObject } from '../../src/model/json.ts';
import { MetricsSchema as MetricsV1Schema } from '../shim/proto/gen/github.com/containerd/cgroups/stats/v1/metrics_pb.ts';
import { MetricsSchema as MetricsV2Schema } from '../shim/proto/gen/github.com/containerd/cgroups/v2/stats/metrics_pb.ts';
import { execStreams } from './execStreams.ts';
import type { RealTasks } from './tasks.ts';

async function stats(tasks: RealTasks, id: string): Promise<ShimCallEvidence> {
  const got = await tasks.task(id).shim.task.stats();
  const options = { useProtoFieldName: true };
  const metrics =
    got.version === 1
      ? toJson(MetricsV1Schema, got.metrics, options)
      : toJson(MetricsV2Schema, got.metrics, options);
  return { version: got.version, metrics: isJsonObject(metrics) ? metrics : {} };
}

async function call(tasks: RealTasks, p: ShimCallInput): Promise<ShimCallEvidence> {
  const client = tasks.task(p.id).shim.task;
  const execId = p.execId ?? '';
  switch (p.op) {
    case 'shim.Delete': {
      const exit = await client.delete(execId);
      execStreams(tasks).release(execId);
      return { pid: exit.pid, exitStatus: exit.exitStatus };
    }
    case 'shim.ResizePty':
      await client.resizePty(p.width ?? 80, p.height ?? 24, execId);
      return {};
    case 'shim.CloseIO':
      await client.closeIO(execId);
      return {};
    case 'shim.Pids':
      return { processes: (await client.pids()).map((proc) => ({ pid: proc.pid })) };
    case 'shim.Stats':
      return stats(tasks, p.id);
  }
}

export function realShimCalls(tasks: RealTasks) {
  return { shimCall: fromPromise<ShimCallEvidence, ShimCallInput>(({ input }) => call(tasks, input)) };
}
