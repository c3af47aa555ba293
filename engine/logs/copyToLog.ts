// dockerd's copier for one container (moby daemon/logger/copier.go Run/Wait): both streams of its
// stdio into its logger, at once; settles when both have ended. dockerd then closes the logger
// (container.Reset after the exit, waiting up to 10 s for the copier), which ends the followers.
import { copyStream, type LogSink } from './copier.ts';
import type { ContainerStdio } from './stdio.ts';

export async function copyToLog(
  stdio: Pick<ContainerStdio, 'stdout' | 'stderr'>,
  sink: LogSink,
): Promise<void> {
  await Promise.all([
    copyStream('stdout', stdio.stdout, sink),
    ...(stdio.stderr === undefined ? [] : [copyStream('stderr', stdio.stderr, sink)]),
  ]);
}
