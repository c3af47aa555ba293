// The calls a real shim answers itself, without runc (src/layers/shim/shimEffects.ts shimCall):
// the task API's Delete of an exec process, ResizePty and CloseIO; its Stats (shimMachine's
// shimStats: the cgroup's metrics, v1 or v2 as this host has them, as protobuf JSON with the
// proto's own field names); and the processes its Pids found with `runc ps` (the runc
// participant's `runc.ps`), each with its exec id and its parent as /proc shows it.
import { readFile } from 'node:fs/promises';
import { toJson } from '@bufbuild/protobuf';
import { fromPromise } from 'xstate';
import type { PsEntry } from '../../src/layers/runc/runcEffects.ts';
import type {
  ShimCallEvidence,
  ShimCallInput,
  ShimStatsEvidence,
  ShimStatsInput,
} from '../../src/layers/shim/shimEffects.ts';
import { isJsonObject } from '../../src/model/json.ts';
import { unpack } from '../shim/anys.ts';
import { ProcessDetailsSchema } from '../shim/proto/gen/github.com/containerd/containerd/runtime/v2/runc/options/oci_pb.ts';
import { MetricsSchema as MetricsV1Schema } from '../shim/proto/gen/github.com/containerd/cgroups/stats/v1/metrics_pb.ts';
import { MetricsSchema as MetricsV2Schema } from '../shim/proto/gen/github.com/containerd/cgroups/v2/stats/metrics_pb.ts';
import { execStreams } from './execStreams.ts';
import type { RealTasks } from './tasks.ts';

async function stats(tasks: RealTasks, id: string): Promise<ShimStatsEvidence> {
  const got = await tasks.task(id).shim.task.stats();
  const options = { useProtoFieldName: true };
  const metrics =
    got.version === 1
      ? toJson(MetricsV1Schema, got.metrics, options)
      : toJson(MetricsV2Schema, got.metrics, options);
  return { version: got.version, metrics: isJsonObject(metrics) ? metrics : {} };
}

/** The parent of `pid` (/proc/<pid>/stat's 4th field, after the parenthesised comm). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  const parent = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(parent) && parent > 0 ? parent : undefined;
}

/**
 * The shim's Pids (task/service.go Pids: `runc ps --format json`, an exec's process named by its
 * id in a ProcessDetails Any).
 */
export async function listPids(tasks: RealTasks, id: string): Promise<PsEntry[]> {
  const processes = await tasks.task(id).shim.task.pids();
  return Promise.all(
    processes.map(async (proc): Promise<PsEntry> => {
      const execId = unpack(proc.info, ProcessDetailsSchema)?.execId;
      const parent = await parentOf(proc.pid);
      return {
        pid: proc.pid,
        ...(execId ? { execId } : {}),
        ...(parent === undefined ? {} : { parent }),
      };
    }),
  );
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
  }
}

export function realShimCalls(tasks: RealTasks) {
  return { shimCall: fromPromise<ShimCallEvidence, ShimCallInput>(({ input }) => call(tasks, input)) };
}

export function realShimStats(tasks: RealTasks) {
  return { shimStats: fromPromise<ShimStatsEvidence, ShimStatsInput>(({ input }) => stats(tasks, input.id)) };
}
