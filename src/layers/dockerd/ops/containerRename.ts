import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import { VALID_NAME } from './containerCreate.ts';
import { apiRequest } from './request.ts';

/**
 * `POST /containers/{id}/rename?name=NEW` (moby v20.10.24 daemon/rename.go): the new name is
 * reserved like a create's (its errors prefixed `Error when allocating new name:`), the old one
 * released, and a `rename` event names both. Recorded: r-rename-port.txt.
 */
export function* containerRename(d: Daemon, req: Message): OperationProgram {
  const { target, query } = apiRequest(req);
  const c = d.findContainer(target);
  if (!c) return d.error(req, 404, `No such container: ${target}`);
  const wanted = (query.name ?? '').replace(/^\//, '');
  if (wanted === c.name)
    return d.error(req, 400, 'Renaming a container with the same name as its current name');
  const prefix = 'Error when allocating new name: ';
  if (!VALID_NAME.test(wanted))
    return d.error(
      req,
      400,
      `${prefix}Invalid container name (/${wanted}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  const clash = d.findContainer(wanted);
  if (clash && clash.name === wanted)
    return d.error(
      req,
      409,
      `${prefix}Conflict. The container name "/${wanted}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
  const old = c.name;
  c.name = wanted;
  d.self('dockerd.rename', `rename /${old} → /${wanted}: release the old name, write config.v2.json`, {
    params: { old, name: wanted },
  });
  d.containerEvent(c, 'rename', { oldName: `/${old}` });
  d.reply(req, 204);
  yield* [];
}

/** `GET /plugins/{name}/json`: dockstep's dockerd has no plugins (moby plugin/store.go's refusal). */
export function* pluginInspect(d: Daemon, req: Message): OperationProgram {
  const { target } = apiRequest(req);
  d.error(req, 404, `plugin "${target}" not found`);
  yield* [];
}
