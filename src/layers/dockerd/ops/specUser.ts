// `docker run -u USER[:GROUP]`: the spec's process user. dockerd looks the user up in the
// container's own /etc/passwd and /etc/group while it builds the spec (moby v20.10.24
// daemon/oci_linux.go WithUser → getUser, the same lookup as an exec's `-u`), before the mounts
// (WithMounts comes later in createSpec). A name the files lack ends the start with its text; a
// number need not be there. The image's USER is the default when the request names none
// (createdConfig.ts). The lookup is dockerd's own work: real mode reads the container's files.
import type { Effect } from '../../operation.ts';
import type { Daemon } from '../daemon.ts';
import type { ContainerRecord } from '../records.ts';

export type SpecUser = {
  uid: number;
  gid: number;
  additionalGids?: number[];
};

/** What the simulation knows without the container's files: numbers, names as root. */
export function simUser(user: string): SpecUser {
  const [uid = '', gid = ''] = user.split(':');
  const n = (v: string): number => (/^\d+$/.test(v) ? Number(v) : 0);
  return { uid: n(uid), gid: n(gid) };
}

/** Sets the spec's user from the container's config; returns the error text of a failed lookup. */
export function* specUser(d: Daemon, c: ContainerRecord): Generator<Effect, string | undefined, unknown> {
  const named = c.config?.user ?? '';
  if (named === '' || c.spec === undefined) return undefined;
  const found = yield* d.work('containerUser', { id: c.id, key: c.rwKey, user: named }, () => simUser(named));
  if (!found.ok) {
    c.actor.send({ type: 'START_FAILED' });
    return found.error;
  }
  const user = found.output as unknown as SpecUser;
  c.spec.process.user = {
    uid: user.uid,
    gid: user.gid,
    ...(user.additionalGids !== undefined && user.additionalGids.length > 0
      ? { additionalGids: user.additionalGids }
      : {}),
  };
  return undefined;
}
