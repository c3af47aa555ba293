// POST /containers/{id}/attach: `docker attach` and a foreground `docker run`, which attaches
// before it starts the container. The dockerd machine's attach operation decides (404 for no such
// container, else 101); then the connection is hijacked as dockerd hijacks it (moby
// api/server/router/container/container_routes.go postContainersAttach): `101 UPGRADED` when the
// client asked to upgrade (the docker CLI does), else `200 OK`, and from then on the container's
// output as it comes — stdcopy frames per stream (pkg/stdcopy), the stdout and stderr the client
// asked for — until the container's streams end, when the connection is closed.
import type { Message } from '../../../src/model/message.ts';
import { isJsonObject } from '../../../src/model/json.ts';
import { attachChunk } from '../../logs/index.ts';
import { attachStdin, detachStdin } from '../../real/containerStdin.ts';
import type { Call, Route } from '../context.ts';
import { throughMachines } from '../gateway.ts';

const truthy = (v: string | null): boolean =>
  v !== null && !['', '0', 'false', 'no'].includes(v.toLowerCase());

function hijack(call: Call, reply: Message): void {
  const tasks = call.engine.world.tasks;
  const socket = call.req.socket;
  const upgrade = (call.req.headers.upgrade ?? '') !== '';
  const answered = isJsonObject(reply.payload) ? reply.payload : {};
  // With a TTY the stream is the console's bytes as they are (raw-stream), else stdcopy frames.
  const tty = answered.Tty === true;
  const type = `application/vnd.docker.${tty ? 'raw' : 'multiplexed'}-stream`;
  // Nothing the client sends is lost before its stdin is fed (containerStdin.ts).
  if (truthy(call.query.get('stdin'))) socket.pause();
  const head = upgrade
    ? `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${type}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`
    : `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\n\r\n`;
  socket.write(head);
  const id = call.params.name ?? '';
  const wanted = { stdout: truthy(call.query.get('stdout')), stderr: truthy(call.query.get('stderr')) };
  if (tasks === undefined || !truthy(call.query.get('stream'))) {
    socket.end();
    return;
  }
  const attacher = {
    write: (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
      if (wanted[stream] && !socket.destroyed) socket.write(attachChunk(stream, chunk, tty));
    },
    end: (): void => {
      socket.end();
    },
  };
  // The attach names the container as the client did; the operation answered its full id.
  const full = typeof answered.Id === 'string' ? answered.Id : id;
  tasks.attach(full, attacher);
  socket.once('close', () => tasks.detach(full, attacher));
  if (truthy(call.query.get('stdin')) && answered.OpenStdin === true) {
    attachStdin(tasks, full, { stream: socket, once: answered.StdinOnce === true });
    socket.once('close', () => detachStdin(tasks, full, socket));
  }
}

export const routes: Route[] = [
  {
    method: 'POST',
    path: '/containers/{name*}/attach',
    handler: throughMachines({ op: 'api.containers.attach', target: 'name', answer: 'hijack', hijack }),
  },
];
