import type { Catalogue } from '../index.ts';

/**
 * dockerd: its answers to the CLI (`api.*.reply`), the work it does inside itself (`dockerd.*`)
 * and the output it relays to an attached CLI.
 */
export const dockerd: Catalogue = {
  'api.ping.reply':
    'dockerd answers 200 OK with the header `Api-Version: {version}`; the CLI takes the lower of that and its own (1.50 for docker CLI 28.2) and puts it in every path that follows (/v1.NN/…).',
  'api.version.reply':
    'dockerd answers with its version, {version}, its API version and its components (containerd, runc); the CLI prints them under Server, next to its own.',
  'api.info.reply':
    'dockerd answers with its system information: {containers} container(s), images, storage driver, cgroup driver and kernel; the CLI prints it as `docker info`.',

  'api.containers.create.reply':
    'dockerd answers 201 Created with the new container’s id ({id}…). The container is only files and an entry in dockerd’s memory: no process, and no containerd container or task yet.',
  'api.containers.start.reply':
    'dockerd answers {call}: 204 means the container’s program is now running; 304 Not Modified means it was already running, so nothing was done.',
  'api.containers.stop.reply':
    'dockerd answers {call}: 204 once the container has exited, or 304 at once if it was not running.',
  'api.containers.kill.reply':
    'dockerd answers {call}: the signal was delivered. Whether the process dies depends on the signal and on its handlers.',
  'api.containers.restart.reply':
    'dockerd answers {call}: the container was stopped and started again, as a new task with a new main process.',
  'api.containers.pause.reply':
    'dockerd answers {call}: the container’s processes are frozen; `docker ps` shows it as Paused.',
  'api.containers.unpause.reply':
    'dockerd answers {call}: the container’s processes carry on from where they stopped.',
  'api.containers.delete.reply':
    'dockerd answers {call}: the container’s writable layer, its directory and its logs are gone for good.',
  'api.containers.list.reply':
    'dockerd answers with {count} container(s) as JSON; the CLI formats them into the `docker ps` table.',
  'api.containers.inspect.reply':
    'dockerd answers with the container’s JSON record: State (status, PID, exit code, OOMKilled), Config, HostConfig, NetworkSettings.',
  'api.containers.logs.reply':
    'dockerd answers with {lines} line(s) read from the container’s json-file log; the CLI prints stdout lines to stdout and stderr lines to stderr.',
  'api.containers.wait.reply':
    'The wait request returns: the container exited with status {code}, which `docker run` or `docker wait` passes on.',
  'api.containers.attach.reply':
    'dockerd answers 101 and hijacks the connection: from now on it carries raw stdout/stderr frames (an 8-byte header, then the bytes) instead of HTTP.',
  'api.containers.exec.reply':
    'dockerd answers 201 Created with the exec id ({id}…). So far the process is only a record in dockerd.',
  'api.exec.start.reply':
    'dockerd ends the exec stream: without -d once the process has exited (its output already reached the CLI as frames), with -d at once, leaving it running.',
  'api.exec.start.failed':
    'The exec could not start: runc could not run that program inside the container. dockerd writes the error into the stream, and `docker exec` exits with 127 on Engine 29 for a program that is not there (126 when it cannot be run; dockerd 20.10 said 126 for both).',
  'api.exec.inspect.reply':
    'dockerd answers with the exec’s record, including its ExitCode, which becomes `docker exec`’s exit status.',

  'api.images.create.reply':
    'The pull of {ref} is complete. The progress lines dockerd streamed (Pulling fs layer, Download complete, Pull complete, Digest, Status) are what the CLI printed.',
  'api.images.create.failed':
    'The pull failed after its progress stream had begun, so the HTTP status is still 200: the error arrives as the stream’s last JSON line, and the CLI prints it.',
  'api.images.list.reply':
    'dockerd answers with {count} image(s); the CLI formats them into the `docker images` table.',
  'api.images.history.reply':
    'dockerd answers with {count} history entries, newest first. Steps such as ENV or CMD show 0B: they changed only the config, not the files.',
  'api.images.inspect.reply':
    'dockerd answers with the image’s JSON: its id (the config’s digest in the classic store; in Engine 29’s containerd store the digest of the index or manifest the name points at, the one the pull printed), tags, config, and RootFS.Layers, the digests of its layers’ contents.',
  'api.images.get.reply':
    'dockerd answers {call}: the tar streams out, every blob as it was stored, then index.json, manifest.json and repositories; one save event per image.',
  'api.images.load.reply':
    'dockerd answers {call}: the images are loaded; their blobs are in containerd’s content store, their layers unpacked, one load event each.',
  'api.images.load.failed':
    'The load failed. dockerd had already answered 200, so the error is the stream’s last line; what this load wrote and no image needs is removed.',
  'dockerd.load.read':
    'dockerd reads the archive itself (containerd’s Import runs in dockerd’s process): manifest.json or index.json says which images, names and blobs it holds.',
  'api.images.prune.reply':
    'dockerd answers {call}: every name it removed, each image deleted with its last name, and the space its deleted layers took; one prune event.',
  'api.images.delete.reply':
    'dockerd answers with {count} line(s) of what it removed: Untagged for each name, Deleted for each image and layer nothing uses any more.',
  'api.events.reply': 'dockerd answers with {count} past event(s) from its in-memory event log.',

  'dockerd.error.reply':
    'dockerd refuses with {code}: “{message}”. The CLI prints it as `Error response from daemon: …`.',
  'attach.output':
    'dockerd forwards a chunk of the container’s {stream} to the attached CLI as one multiplexed frame; the CLI writes it to your terminal’s {stream}.',

  'dockerd.writeConfig':
    'dockerd writes config.v2.json and hostconfig.json under /var/lib/docker/containers/{id}…; for dockerd, this directory is the container.',
  'dockerd.buildSpec':
    'dockerd turns the image config and your options into an OCI runtime spec (config.json): the program to run, its environment, mounts, the namespaces to create and the cgroup limits.',
  'dockerd.initLayer':
    'Before the container’s own layer, dockerd makes an init layer: it mounts a new snapshot in a temporary directory and creates the files and mount points the container will get from dockerd (/etc/hosts, /etc/resolv.conf, /etc/hostname, /.dockerenv, /dev/pts…), then commits it as <id>-init. The container’s layer sits on it, so `docker diff` never shows these files.',
  'dockerd.mountRootfs':
    'Engine 29’s dockerd mounts the container’s snapshot itself, under /var/lib/docker/rootfs/overlayfs/{id}…, and will give the runtime that absolute path as the spec’s root; containerd is given no snapshot to mount.',
  'dockerd.umountRootfs':
    'The container has stopped: dockerd unmounts the root filesystem it mounted; the snapshot and what the container wrote stay until `docker rm`.',
  'dockerd.listContainers.v29':
    'dockerd builds the list from its own in-memory table of containers (state, status text, ports). For each container created from an image name, Engine 29 then asks containerd’s image store whether that name still points at the same image (Images.Get); the containers themselves are not asked about.',
  'dockerd.listContainers':
    'dockerd builds the list from its own in-memory table of containers (state, status text, ports) without asking containerd.',
  'dockerd.inspect': 'dockerd reads the container’s record from its own memory; no other layer is involved.',
  'dockerd.readLogs':
    'dockerd reads {lines} line(s) from the container’s json-file log, which it wrote itself as output arrived from the shim through FIFOs.',
  'dockerd.graceExpired':
    'The {seconds} s grace period is over and the container still runs (typically a PID 1 with no SIGTERM handler, which ignores it), so dockerd sends SIGKILL, which cannot be caught or ignored.',
  'dockerd.autoRemove':
    'The container was run with --rm (HostConfig.AutoRemove), so now that it has exited dockerd removes {id} itself.',
  'dockerd.removeDir':
    'dockerd deletes /var/lib/docker/containers/{id}…: the config files and the json-file log go with it, which is why `docker logs` no longer works after `docker rm`.',
  'dockerd.imageStore.get':
    'Classic image store: dockerd looks up {ref} in its own repositories.json and image database; containerd is not asked.',
  'dockerd.imageStore.list':
    'Classic image store: dockerd lists the images from its own repositories.json under /var/lib/docker/image/overlay2.',
  'dockerd.imageStore.create':
    'Classic image store: dockerd saves the image config in its imagedb, named by its sha256 digest, and tags it {ref} in repositories.json.',
  'api.images.tag.reply':
    'dockerd answers {call}: {ref} now points at the very same image id; no data was copied.',
  'dockerd.imageStore.tag':
    'Classic image store: dockerd adds the reference {ref} to repositories.json, pointing at an existing image id.',
  'dockerd.imageStore.untag':
    'Classic image store: dockerd removes the reference {ref} from repositories.json (Untagged); the image itself goes only when no reference and no container is left.',
  'dockerd.imageStore.delete':
    'Classic image store: nothing refers to image {id} any more, so dockerd deletes its config from imagedb (Deleted); its layers are released next.',
  'dockerd.checkpoint':
    'dockerd marks the container running and writes that state, with the PID, to /var/lib/docker/containers/{id}…/config.v2.json, so it survives a dockerd restart; then it emits the `start` event.',
  'api.cancel':
    'The client closed its connection before the answer came (Ctrl-C, a timeout): the request’s context is cancelled on dockerd’s side.',
  'dockerd.cancelled':
    'dockerd cancels the operation serving that request: its calls still waiting go unanswered, and the work it started for real (downloads, unpacking) is stopped and cleaned up.',
  'api.images.push.reply':
    'dockerd answers {call}: the push is done. Every blob the registry lacked went up, then the manifest under its tag. The last lines name the digest the registry gave it, which is now the image’s repository digest.',
  'api.images.push.failed':
    'The push failed after its stream began, so the HTTP status is still 200: the error arrives as the stream’s last JSON line, and the CLI prints it.',
  'api.auth.reply':
    'The registry accepted the credentials: dockerd answers {call} with “Login Succeeded”, and the CLI saves them in its config.json.',
  'dockerd.layerStore.open':
    'Classic image store: dockerd opens the layer to upload from its own layer store ({call}).',
};
