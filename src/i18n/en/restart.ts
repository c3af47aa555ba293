import type { Catalogue } from '../index.ts';

/**
 * Restart policies: dockerd's restart manager at each exit, its back-off, a stop that cancels
 * it, and the containers a starting dockerd brings back.
 * https://github.com/moby/moby/blob/v20.10.24/restartmanager/restartmanager.go
 */
export const restart: Catalogue = {
  'dockerd.restartBackoff':
    '{name} exited with {code}, and its restart policy says it comes back: dockerd marks it Restarting (restart {count}) and waits {ms} ms first. The wait starts at 100 ms and doubles at each restart, up to a minute; a run of 10 s or more sets it back to 100 ms.',
  'dockerd.restartNow':
    'The back-off is over: dockerd starts {name} again through the same start as `docker start` — network, containerd container, task, runc. No `restart` event: that one belongs to `docker restart`.',
  'dockerd.restartCanceled':
    'A stop or kill cancelled {name}’s restart manager while it waited: there is no process to signal, so no `kill` event. The container stays exited with {code}.',
  'dockerd.restore.start':
    '{name} is not running, and its restart policy ({policy}) says a starting daemon brings it back. dockerd starts each such container in a goroutine of its own, all at once, before it listens.',
  'dockerd.restore.start.reply': 'The container runs again; its RestartCount starts from 0.',
};
