import type { Catalogue } from '../index.ts';

/**
 * `docker build`: the CLI and the context, dockerd's `/build` and the legacy builder's calls
 * into dockerd (Engine 20.10, classic), BuildKit's session, solver, runc executor and exporter
 * (Engine 29, v29), and what the layers below do for them.
 */
export const build: Catalogue = {
  'api.build':
    'The CLI sends the whole build context — every file of the directory, as one tar stream — in the body of `POST /build`, with the Dockerfile’s name and the tags in the query. The daemon never reads the host’s disk.',
  'api.build.reply':
    'The build is done and the image {id} tagged. The 200 response was a stream all along: the CLI printed each step’s lines as they came.',
  'api.build.failed':
    'The build stopped: the stream ends with an error, “{error}”. The CLI prints it on stderr and exits with its code (a failed RUN gives its exit status).',
  'dockerd.build.context':
    'dockerd unpacks the {bytes}-byte context into a temporary directory; the builder reads COPY’s files from there.',
  'builder.build':
    'dockerd hands the context to the legacy builder, which reads {dockerfile} and runs it one instruction at a time, every step through dockerd’s own backend.',
  'builder.build.reply':
    'Every instruction has run: the last step’s image, {id}, is the result. dockerd now tags it.',
  'builder.build.failed':
    'A step failed: “{error}”. Everything built before it stays in the image store, and so does the failed step’s container.',
  'builder.build.parseError':
    'The Dockerfile does not parse: “{error}”. Nothing is built, and dockerd answers 400.',
  'build.output':
    'The builder writes its progress into the /build response: “{line}”. Each step is `Step N/M`, then ` ---> ` and the id of the image it left.',
  'build.output.run':
    'What the RUN command printed, “{line}”, reaches the build output: the builder attached to the container’s stdout and copies it into the response.',

  'backend.GetImage':
    'FROM: the builder asks dockerd for {ref} (GetImageAndReleasableLayer). dockerd looks in its image store and pulls the image if it is not there.',
  'backend.GetImage.reply':
    'The base image is {id}: the first step’s result, and the parent of everything the build adds.',
  'backend.GetImage.failed': 'dockerd could not get the base image: {error}',
  'backend.GetCache':
    'Before it runs a step, the builder asks the image cache: is there an image whose parent is {parent} and whose run config is this step’s? The config’s Cmd names the instruction; for COPY it holds the files’ checksum.',
  'backend.GetCache.reply':
    'A cache hit: a previous build made {id} from the same step on the same parent. The builder takes it as this step’s result and runs nothing (`Using cache`).',
  'backend.GetCache.miss': 'A miss: no image has this parent and this run config, so the step has to run.',
  'backend.ContainerCreate':
    'The builder has dockerd create a container from the current image, with the step’s run config. For ENV, CMD, WORKDIR… its Cmd is a no-op comment, `#(nop)`: this container will never run.',
  'backend.ContainerCreate.reply':
    'The container {id} exists (a `create` event): a writable layer on the current image, nothing running.',
  'backend.ContainerCreateWorkdir':
    'WORKDIR makes its directory in the container’s writable layer, so the step leaves a layer, even if it holds only a directory.',
  'backend.ContainerCreateWorkdir.reply': 'The directory {dir} is in the container’s writable layer.',
  'backend.ContainerAttachRaw':
    'RUN: the builder attaches to the container’s stdout and stderr first, so none of the command’s output is lost.',
  'backend.ContainerAttachRaw.reply':
    'Attached to {id} (an `attach` event): what the command prints will go into the build output.',
  'backend.ContainerStart':
    'The builder starts the container: the same path as `docker start` — network, OCI spec, containerd container and task, shim, runc. The RUN command runs as its PID 1.',
  'backend.ContainerStart.reply': 'The container {id} runs (a `start` event).',
  'backend.ContainerWait': 'The builder waits until the container is no longer running.',
  'backend.ContainerWait.reply':
    'The command exited with {code}. Anything but 0 fails the build, and the container is kept for inspection.',
  'backend.CommitBuildStep':
    'The builder has dockerd commit the container: what changed in its writable layer becomes the step’s layer, and a new image records the step in its history, with the previous image as its parent.',
  'backend.CommitBuildStep.reply':
    'The step’s image is {id}. A step that changed no file added no layer: its history entry is an empty layer.',
  'backend.ContainerRm':
    'The intermediate container has done its job: the builder removes it, writable layer and all (`Removing intermediate container`).',
  'backend.ContainerRm.reply':
    'The container {id} is gone (a `destroy` event); its changes live on as the layer just committed.',
  'backend.CreateImage':
    'COPY needs no container: the builder has made the layer itself, and dockerd now writes the image that stacks it on the parent.',
  'backend.CreateImage.reply': 'The COPY step’s image is {id}.',
  'backend.ImageNamed':
    'BuildKit tells dockerd the image it exported has a name, so dockerd can log the image event.',
  'backend.ImageNamed.reply': '{ref} is in the image store; `docker images` lists it.',
  'storage.write':
    '{from} writes files into a layer it holds open: COPY’s files from the context, or WORKDIR’s new directory. They land in the layer’s upper directory only.',
  'storage.write.reply': '{count} file(s), {bytes} bytes, are in the layer’s upper directory.',
  'storage.diff':
    '{from} has the storage driver list what the layer holds beyond its parent — its upper directory — as the tar stream a new layer is made from.',
  'storage.diff.reply':
    'The diff has {count} entries, {bytes} bytes. No entry at all means the step changed nothing: no layer.',
  'kernel.file':
    'The process writes {bytes} bytes to {path}. The write lands in the upper directory of the container’s writable layer; the lower, read-only layers are untouched. A build step commits exactly these changes as its layer.',

  'api.session':
    'buildx opens a session: `POST /session`, upgraded to HTTP/2 (h2c), naming the directories it shares (the context and the Dockerfile’s) and the calls it serves. The daemon will call the CLI back through it.',
  'api.session.reply':
    'dockerd answers 101 and hands the connection to BuildKit’s session manager; from now on the CLI is also a server.',
  'api.grpc': 'buildx dials BuildKit’s control API through dockerd: `POST /grpc`, upgraded to h2c.',
  'api.grpc.reply':
    'dockerd answers 101 and hands the connection to BuildKit’s gRPC server: the next calls go to the builder itself.',
  'buildkit.Status':
    '`Control.Status`: the CLI subscribes to the build’s progress stream before it starts the build, so it misses nothing.',
  'buildkit.Status.reply': 'The build is over, so the progress stream ends.',
  'buildkit.Solve':
    '`Control.Solve`: build with the dockerfile frontend (dockerfile.v0) and export with the moby exporter. The request carries no files, only the session to fetch them from.',
  'buildkit.Solve.reply': 'The solve succeeded: the exporter wrote the image, index {id}.',
  'buildkit.Solve.failed':
    'The solve failed: “{error}”. buildx prints the failed step and `ERROR: failed to solve: …`, and exits 1.',
  'buildkit.status':
    'Progress on the Status stream: {vertex}. The CLI prints it as plain text, one `#N` block per step.',
  'session.DiffCopy':
    'BuildKit calls the CLI back over the session (FileSync.DiffCopy) for the {dir} directory: only the paths it needs. The context is pulled by the daemon, file by file, not pushed as one tar.',
  'session.DiffCopy.reply':
    'The CLI sends {count} file(s) from {dir}; files the daemon already has, unchanged, cost only their metadata.',
  'buildkit.frontend':
    'The dockerfile frontend parses the Dockerfile ({count} instructions) and converts it to LLB: FROM a source, WORKDIR and COPY file ops, RUN exec ops. ENV, CMD and the like only change the image config.',
  'buildkit.Images.Get':
    '`load metadata`: BuildKit looks up {ref} in containerd’s image store for its config (environment, working directory) and its layers.',
  'buildkit.pull':
    'The base image is not here, so BuildKit fetches it itself: `{call}`. The blobs go into containerd’s content store and the layers into its snapshotter, but no image record is made for the base.',
  'buildkit.cache.hit':
    'The solver looks up the step’s cache key ({key}…) in cache.db and finds it: the same op on the same input. The step is CACHED — its snapshot is reused, nothing runs.',
  'buildkit.cache.miss':
    'The cache key {key}… is not in cache.db (or --no-cache says not to look): the op runs.',
  'buildkit.Snapshots.Prepare':
    'BuildKit prepares a containerd snapshot on top of the previous step’s result: the root filesystem this op writes into.',
  'buildkit.Snapshots.Commit':
    'BuildKit commits the snapshot: the op’s result, read-only, named by its layer’s chain id, and remembered in cache.db.',
  'buildkit.Snapshots.Remove': 'The step failed, so BuildKit drops its snapshot.',
  'buildkit.net.connect':
    'BuildKit gives the RUN step a network namespace on the bridge network through libnetwork: a sandbox, not a container, so no network event.',
  'buildkit.net.disconnect': 'The step is over: BuildKit deletes its network sandbox.',
  'buildkit.executor':
    'BuildKit’s runc executor mounts the snapshot as the root filesystem under its own executor directory ({id}…) and writes config.json there.',
  'runc.run':
    'BuildKit runs the step with `runc run` itself: no containerd task, no shim. runc creates and starts the container and stays its parent; the process’s stdout and stderr are pipes BuildKit reads.',
  'runc.run.reply':
    'The process exited with {code}, runc reaped it and removed the container, and exits with that status.',
  'kernel.runExec':
    '`runc run` releases init at once: it calls execve() and becomes the step’s command, PID 1 of the new namespaces.',
  'kernel.runCleanup':
    'After the process is reaped, `runc run` removes the cgroup and its state: the container is gone.',
  'kernel.output.foreground':
    'The command writes its output into a pipe that BuildKit holds: it is the RUN step’s log.',
  'kernel.exit.foreground': 'The command has exited; its parent is runc (`runc run`), which reaps it.',
  'buildkit.Diff.Diff':
    'Exporting: BuildKit has containerd’s differ compare the step’s snapshot with its parent, and gzip the difference into a layer blob in the content store.',
  'ctrd.Diff.Diff.reply': 'The layer blob is written; its sha256 names it in the manifest.',
  'buildkit.Content.Write': 'The exporter writes the image’s {what} into containerd’s content store.',
  'buildkit.Images.Create':
    'The exporter names the image: a containerd image record {ref} pointing at the index. The layers are already snapshots, so unpacking has nothing to do.',
};
