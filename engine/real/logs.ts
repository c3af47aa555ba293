// dockerd's own work for a container's log, real (the dockerd operations' `work` effects,
// src/layers/dockerd/ops/queries.ts containerLogs, containerRemove.ts): `docker logs` reads the
// json-file log (the live logger while the container runs, so `-f` follows it until its streams
// end) and streams the answer's frames into the request's raw answer as it reads; `rm` removes
// the container's directory with its log.
import { stat } from 'node:fs/promises';
import type { WorkPayload } from '../../src/layers/operation.ts';
import { logBody, parseLogsRequest, readLogs, type LogSource } from '../logs/index.ts';
import type { RealWorks } from './archive.ts';
import type { RealSession } from './session.ts';
import type { RealTasks } from './tasks.ts';

async function streamLogs(tasks: RealTasks, session: RealSession, input: WorkPayload): Promise<WorkPayload> {
  const id = String(input.id);
  const sink = session.raw;
  if (sink === undefined) throw new Error(`logs of ${id}: no answer to write them to`);
  const query = new URLSearchParams(input.query as Record<string, string>);
  const request = parseLogsRequest(query);
  const live = tasks.live.get(id)?.logger;
  const path = await tasks.logPath(id);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  // A container that never ran has no log yet: the answer is empty, as dockerd's.
  if ((live === undefined || live.closed) && !exists) return { messages: 0 };
  const source: LogSource = live !== undefined && !live.closed ? live : { path, maxFile: 1 };
  // A TTY container's log is answered raw, not multiplexed (moby v20.10.24
  // api/server/router/container/container_routes.go getContainersLogs: raw-stream unless !tty).
  const tty = input.tty === true;
  const options = { stdout: request.stdout, stderr: request.stderr, timestamps: request.timestamps, tty };
  if (tty) sink.headers['Content-Type'] = 'application/vnd.docker.raw-stream';
  sink.begin();
  let messages = 0;
  for await (const chunk of logBody(readLogs(source, request.read), options)) {
    await sink.write(chunk);
    messages++;
  }
  return { messages };
}

export function realLogWorks(tasks: RealTasks): RealWorks {
  return {
    streamLogs: (session, input) => streamLogs(tasks, session, input),
    removeContainerFiles: async (_session, input) => {
      await tasks.removeContainerFiles(String(input.id));
      return {};
    },
  };
}
