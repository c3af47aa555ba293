// What containerd does for a shim that died (runtime/v2/shim.go cleanupAfterDeadShim): run
// `<shim> -namespace NS -address ADDR -id ID -bundle B delete` in the bundle. That kills the
// container's processes (SIGKILL), runs `runc delete --force` with the binary and root the shim
// recorded in the bundle (runtime, options.json), unmounts BUNDLE/rootfs and prints a
// DeleteResponse on stdout (runtime/v2/runc/manager/manager_linux.go Stop). The stale socket
// the dead shim left is removed too.
import { fromBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteResponseSchema } from './proto/gen/github.com/containerd/containerd/runtime/v2/task/shim_pb.ts';
import { SHIM_BINARY } from './binaries.ts';
import { execute, failure } from './exec.ts';
import type { ShimIdentity } from './shim.ts';
import type { Exit } from './taskClient.ts';

export async function cleanupDeadShim(
  identity: ShimIdentity,
  env: Record<string, string> = {},
): Promise<Exit> {
  const binary = identity.binary ?? SHIM_BINARY;
  const { id, namespace, address, bundle } = identity;
  const ran = await execute(
    binary,
    ['-namespace', namespace, '-address', address, '-id', id, '-bundle', bundle, 'delete'],
    {
      cwd: bundle,
      env: { ...process.env, ...env },
      timeoutMs: 60_000,
    },
  );
  if (ran.code !== 0) throw new Error(`${binary} delete of ${id} failed: ${failure(ran)}`);
  const socket = await readFile(join(bundle, 'address'), 'utf8').catch(() => '');
  if (socket.startsWith('unix://')) await rm(socket.trim().slice('unix://'.length), { force: true });
  const r = fromBinary(DeleteResponseSchema, ran.stdout);
  return {
    pid: r.pid,
    exitStatus: r.exitStatus,
    exitedAt: r.exitedAt === undefined ? undefined : timestampDate(r.exitedAt),
  };
}
