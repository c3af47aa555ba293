import type { Catalogue } from '../index.ts';

/**
 * The docker CLI: the command line you type and the Engine API requests it sends to dockerd over
 * /var/run/docker.sock. Replies to these requests are dockerd's (dockerd.ts).
 */
export const cli: Catalogue = {
  'cli.command':
    'You type `{line}`. The docker CLI parses it itself, as docker/cli does, and rejects a bad command or flag before the daemon hears anything.',
  'cli.command.reply':
    'The docker CLI exits with status {code} (what `echo $?` prints). For `docker run` in the foreground it is the container’s own exit code; 125 means docker itself failed, 126 and 127 that the command could not be run.',

  'api.ping':
    'Before every command the CLI sends `HEAD /_ping` over the Unix socket to learn which Engine API version the daemon speaks.',
  'api.version':
    'The CLI asks the daemon for its version (`GET /version`): Engine version, API version, OS, architecture and kernel.',
  'api.info':
    'The CLI asks the daemon for system-wide information (`GET /info`): container and image counts, storage driver, cgroup version, kernel.',

  'api.containers.create':
    'The CLI asks dockerd to create a container: `{call}`, with the image, command, environment and HostConfig (memory limit, ports, --rm) in the JSON body.',
  'api.containers.start':
    'The CLI asks dockerd to start the container (`POST /containers/…/start`). Only now will a process run: create only wrote files.',
  'api.containers.stop':
    '`{call}`: dockerd will send the stop signal (SIGTERM unless the image says otherwise), wait the grace period (-t, 10 s by default), then SIGKILL.',
  'api.containers.kill':
    '`{call}`: one signal, SIGKILL unless -s names another, sent at once with no grace period.',
  'api.containers.restart':
    '`{call}`: dockerd stops the container (signal, grace period, SIGKILL if needed) and starts it again, all in one request.',
  'api.containers.pause':
    '`{call}`: freeze every process of the container with the cgroup freezer. Nothing is killed; they simply stop being scheduled.',
  'api.containers.unpause': '`{call}`: thaw the container’s cgroup so its processes run again.',
  'api.containers.delete':
    '`{call}`: remove the container. With force=1 (`docker rm -f`) a running container is killed first.',
  'api.containers.list':
    '`{call}`: list the containers dockerd knows (running ones only, or all of them with all=1 for `docker ps -a`).',
  'api.containers.inspect':
    'The CLI fetches the container’s full record (`GET /containers/…/json`): state, PID, exit code, configuration. `docker logs` starts with it to learn whether the container has a TTY (then the log stream is raw, not multiplexed into stdout and stderr; docker/cli cli/command/container/logs.go), `docker exec` to turn a name into an id and check the state.',
  'api.containers.logs':
    'The CLI asks for the container’s stored output, stdout and stderr (`GET /containers/…/logs`).',
  'api.containers.wait':
    'The CLI sends a wait request (`POST /containers/…/wait`) that blocks until the container exits, then returns its exit code. `docker run` sends it before start so no exit can be missed.',
  'api.containers.attach':
    'The CLI attaches (`POST /containers/…/attach`): its HTTP connection is upgraded into a raw stream that will carry the container’s stdout and stderr to your terminal.',
  'api.containers.exec':
    'The CLI asks dockerd to register a new process to run inside the running container (`POST /containers/…/exec`). Nothing runs yet.',
  'api.exec.start':
    'The CLI starts the registered exec process (`POST /exec/…/start`); its output will stream back on this connection.',
  'api.exec.inspect':
    'The CLI reads the exec’s record (`GET /exec/…/json`) to learn its exit code, which becomes `docker exec`’s own exit status.',

  'api.images.create':
    '`{call}` is the pull endpoint, used by `docker pull` and by `docker run` when the image is missing. dockerd answers with a stream of JSON progress lines.',
  'api.images.list': '`{call}` (`docker images`): list the images stored on this host.',
  'api.images.history':
    'The CLI asks for the image’s history (`GET /images/…/history`): one entry per build step, from the image config.',
  'api.images.inspect':
    'No container has that name, so `docker inspect` tries an image next (`GET /images/…/json`).',
  'api.images.get':
    '`{call}` (`docker save`): ask dockerd for the images as one tar, one `names` per image. Engine 29 makes it an OCI image layout that is a docker-archive too; dockerd 20.10 a docker-archive only.',
  'api.images.load': '`{call}` (`docker load`): send dockerd an image archive (docker save’s tar) to import.',
  'api.images.prune':
    '`{call}` (`docker image prune`): remove the images nothing uses: dangling ones, or with `-a` every image no container runs from.',
  'api.images.delete':
    '`{call}` (`docker rmi`): remove the tag, and the image itself when no other tag and no container uses it.',
  'api.events':
    '`{call}`: read dockerd’s event log (create, start, die, destroy…), the same events `docker events` shows live.',
  'api.images.tag': '`{call}` (`docker tag`): give the image one more name.',
  'api.images.push':
    '`{call}` (`docker push`): send the image’s layers, config and manifest to its registry. dockerd answers with a stream of JSON progress lines.',
  'api.auth':
    '`{call}` (`docker login`): dockerd checks the credentials with the registry; the CLI keeps them, dockerd does not.',
};
