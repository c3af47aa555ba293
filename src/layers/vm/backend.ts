import type { AnyActorRef } from 'xstate';
import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { Wire } from '../../wire/wire.ts';
import { draft, replyDraft, short } from '../post.ts';
import { mountsDenied, restorePaths, shareBinds, toHost, type SharedBind } from './fileSharing.ts';

/**
 * Docker Desktop's backend (`com.docker.backend` on a Mac) as the docker CLI meets it: the owner
 * of the socket the `desktop-linux` context points at (~/.docker/run/docker.sock). Every Engine
 * API request the CLI sends there is passed on, over a virtual socket into the Linux VM, to
 * dockerd's /var/run/docker.sock, and dockerd's answer (and an attach or exec stream) comes back
 * the same way. On the way it applies file sharing to bind mounts (fileSharing.ts) and, once a
 * container with published ports has started, listens on those ports on the host and forwards
 * connections into the VM.
 *
 * The proxy is Docker Desktop's own closed-source code: what it is observed to do is documented
 * (https://docs.docker.com/desktop/features/networking/ "How exposed ports work"), how it learns
 * of a port is not; here it acts on the start it relayed, and closes the port on a stop or
 * removal it relayed.
 */
interface PortBinding {
  hostIp?: string;
  hostPort?: number;
  containerPort: number;
  protocol: string;
}

/** What the proxy remembers of a container it saw created. */
interface Seen {
  id: string;
  name: string;
  binds: SharedBind[];
  ports: PortBinding[];
  listening: boolean;
}

export class Backend {
  /** Upstream request id → the CLI's request it serves. */
  private readonly pending = new Map<number, Message>();
  private readonly seen = new Map<string, Seen>();

  constructor(readonly wire: Wire) {}

  /** A request from the CLI: answer it here (a denied mount) or pass it on to dockerd. */
  forward(req: Message, self: AnyActorRef): void {
    const payload = (req.payload ?? {}) as JsonObject;
    const target = typeof payload.target === 'string' ? payload.target : '';
    if (req.op === 'api.containers.start') {
      const denied = this.find(target)?.binds.find((b) => !b.shared);
      if (denied) return this.deny(req, denied.host);
    }
    let body = payload.body as JsonObject | undefined;
    if (req.op === 'api.containers.create' && body) {
      const shared = shareBinds(body);
      body = shared.body;
      for (const b of shared.binds.filter((x) => x.shared && x.vm !== x.host)) {
        this.wire.self(
          'VM',
          draft('VM', 'VM', 'vm.shareBinds', `rewrite bind source ${b.host} → ${b.vm} (virtiofs share)`, {
            params: { source: b.host, vmPath: b.vm },
          }),
        );
      }
    }
    const forwarded: JsonObject = body === undefined ? payload : { ...payload, body };
    const id = this.wire.request(
      self,
      draft('VM', 'dockerd', req.op, req.call, { payload: forwarded, narration: 'vm.forward' }),
      req.id,
    );
    this.pending.set(id, req);
  }

  /** dockerd's answer: note what it means for the host, then relay it to the CLI. */
  relay(reply: Message): void {
    const request = reply.inReplyTo === undefined ? undefined : this.pending.get(reply.inReplyTo);
    if (!request || reply.inReplyTo === undefined) return;
    this.pending.delete(reply.inReplyTo);
    let payload = reply.payload;
    if (reply.ok) {
      if (request.op === 'api.containers.create') this.remember(request, reply);
      if (request.op === 'api.containers.inspect' || request.op === 'api.containers.list')
        payload = this.restore(payload);
      if (request.op === 'api.containers.start' && reply.status === '204')
        this.expose(this.targetOf(request));
      if (
        (request.op === 'api.containers.stop' || request.op === 'api.containers.delete') &&
        reply.status === '204'
      )
        this.close(this.targetOf(request));
    }
    const status = reply.status ?? '';
    this.wire.reply(
      request,
      replyDraft(request.op, reply.call, {
        ...(payload === undefined ? {} : { payload }),
        ...(reply.status === undefined ? {} : { status }),
        ok: reply.ok,
        narration: 'vm.relay.reply',
      }),
    );
  }

  /** An attach or exec stream frame from dockerd, copied to the CLI's connection. */
  stream(frame: Message): void {
    const p = (frame.payload ?? {}) as JsonObject;
    this.wire.event(
      draft('VM', 'CLI', frame.op, frame.call, {
        payload: p,
        params: { stream: String(p.stream ?? 'stdout') },
        narration: 'vm.stream',
      }),
    );
  }

  private deny(req: Message, path: string): void {
    this.wire.reply(
      req,
      replyDraft(req.op, '500 Internal Server Error', {
        status: '500',
        ok: false,
        payload: { message: mountsDenied(path) },
        params: { source: path },
        narration: 'vm.mountsDenied.reply',
      }),
    );
  }

  private targetOf(req: Message): string {
    const target = ((req.payload ?? {}) as JsonObject).target;
    return typeof target === 'string' ? target : '';
  }

  /** dockerd's lookup order, enough here: full id, name, unique id prefix. */
  private find(ref: string): Seen | undefined {
    const all = [...this.seen.values()];
    const byId = this.seen.get(ref) ?? all.find((c) => c.name === ref.replace(/^\//, ''));
    if (byId) return byId;
    const matches = all.filter((c) => c.id.startsWith(ref));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** A created container, from the CLI's own request (host paths as typed) and dockerd's id. */
  private remember(req: Message, reply: Message): void {
    const id = String(((reply.payload ?? {}) as JsonObject).Id ?? '');
    const payload = (req.payload ?? {}) as JsonObject;
    const query = (payload.query ?? {}) as Record<string, string>;
    const body = (payload.body ?? {}) as JsonObject;
    const ports =
      (((body.HostConfig ?? {}) as JsonObject).PortBindings as unknown as PortBinding[] | undefined) ?? [];
    this.seen.set(id, { id, name: query.name ?? '', binds: shareBinds(body).binds, ports, listening: false });
  }

  private restore(payload: Message['payload']): Message['payload'] {
    const restored = restorePaths(payload);
    if (restored.count > 0) {
      const paths = restored.paths.map((p) => `${p} → ${toHost(p)}`).join(', ');
      this.wire.self(
        'VM',
        draft(
          'VM',
          'VM',
          'vm.restorePaths',
          `rewrite ${paths} in the answer (${restored.count} field${restored.count === 1 ? '' : 's'})`,
          { params: { count: restored.count } },
        ),
      );
    }
    return restored.payload;
  }

  private expose(target: string): void {
    const c = this.find(target);
    if (!c || c.listening || c.ports.length === 0) return;
    c.listening = true;
    for (const p of c.ports) {
      const at = `${p.hostIp ?? '0.0.0.0'}:${p.hostPort ?? 0}`;
      this.wire.self(
        'VM',
        draft(
          'VM',
          'VM',
          'vm.exposePort',
          `listen(${p.protocol} ${at}) on the host → VM → ${short(c.id)} port ${p.containerPort}/${p.protocol}`,
          {
            params: {
              hostIp: p.hostIp ?? '0.0.0.0',
              hostPort: p.hostPort ?? 0,
              containerPort: p.containerPort,
              protocol: p.protocol,
            },
          },
        ),
      );
    }
  }

  private close(target: string): void {
    const c = this.find(target);
    if (!c?.listening) return;
    c.listening = false;
    for (const p of c.ports) {
      const at = `${p.hostIp ?? '0.0.0.0'}:${p.hostPort ?? 0}`;
      this.wire.self(
        'VM',
        draft('VM', 'VM', 'vm.closePort', `close(listener ${p.protocol} ${at}) on the host`, {
          params: { hostIp: p.hostIp ?? '0.0.0.0', hostPort: p.hostPort ?? 0 },
        }),
      );
    }
  }
}
