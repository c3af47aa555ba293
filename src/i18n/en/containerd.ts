import type { Catalogue } from '../index.ts';

/**
 * containerd: the gRPC services dockerd calls (namespace `moby`) — images, content, snapshots and
 * diff (Docker's containerd image store, Engine v29), containers and tasks — and the events it
 * relays to dockerd.
 */
export const containerd: Catalogue = {
  'ctrd.Images.Get':
    'containerd image store (Engine v29): dockerd asks containerd’s image service over gRPC for {ref}. Images are containerd’s records now, not dockerd’s.',
  'ctrd.Images.Get.reply':
    'containerd answers “{call}”. If the image is there, the answer carries its digest; if not (NotFound), it has to be pulled first (for `docker run`, dockerd answers 404 and the CLI pulls).',
  'ctrd.Images.List': 'dockerd asks containerd’s image service for every image in its namespace, moby.',
  'ctrd.Images.List.reply':
    'containerd answers with {count} image record(s): a name pointing at a manifest digest in the content store.',
  'ctrd.Images.Create':
    'dockerd registers an image name with containerd, after a pull or for `docker tag`: a record pointing at the manifest (or index) digest in the content store.',
  'ctrd.Images.Create.reply':
    'containerd stored the image record and published /images/create (/images/update if the name existed); `docker images` lists it now.',
  'ctrd.Images.Delete':
    'dockerd asks containerd to delete the image record; blobs and snapshots nothing refers to any more are garbage-collected.',
  'ctrd.Images.Delete.reply': 'containerd answers “{call}”: the image name is gone.',

  'ctrd.Content.Read':
    'dockerd reads a blob from containerd’s content store by its digest (content.ReaderAt); the bytes go straight into the archive, never into a message.',
  'ctrd.Content.Read.reply': 'containerd answers “{call}”: byte for byte what was stored under that digest.',
  'ctrd.Content.Write':
    'dockerd writes a blob into containerd’s content store, which checks its sha256 and files it under blobs/sha256/: content-addressed, so identical layers are stored only once.',
  'ctrd.Content.Write.reply':
    'The blob is committed: its digest matched, and it now lives in the content store under its sha256.',
  'ctrd.Snapshots.Prepare':
    'dockerd asks containerd’s snapshotter for a new writable snapshot on top of a parent: for a pull, the place the next layer is unpacked into; for a new container, its writable layer.',
  'ctrd.Snapshots.Prepare.reply': 'The snapshot is ready: an empty directory stacked on its parent’s layers.',
  'ctrd.Diff.Apply':
    'dockerd asks containerd’s diff service to unpack the compressed layer (gunzip, then untar) into the prepared snapshot, turning whiteout files into deletions.',
  'ctrd.Diff.Apply.reply':
    'The layer’s files are in the snapshot, and their content matched the diff id listed in the image config.',
  'ctrd.Snapshots.Commit':
    'dockerd commits the snapshot under the layer’s chain id: from now on it is read-only, and other layers and containers can stack on it.',
  'ctrd.Snapshots.Commit.reply': 'Committed: a read-only layer, shared by every image that contains it.',
  'ctrd.Snapshots.Remove':
    'dockerd asks containerd to remove the container’s writable snapshot: everything the container wrote is lost, while the image’s read-only layers stay.',
  'ctrd.Snapshots.Remove.reply': 'containerd answers “{call}”: the container’s writable layer is removed.',
  'ctrd.Snapshots.Mounts':
    'Engine 29 asks containerd how to mount the container’s snapshot: the answer is a mount description (overlay, with its lowerdir, upperdir and workdir), not a mount.',
  'ctrd.Snapshots.Mounts.reply':
    'containerd answers with the mounts to make: dockerd will mount them itself.',
  'ctrd.Leases.Delete':
    'dockerd deletes the lease it took for the container’s layers when it created it; with `sync`, containerd’s garbage collector removes at once what only that lease held: the container’s snapshot and its init layer.',
  'ctrd.Leases.Delete.reply':
    'containerd answers “{call}”: the container’s writable layer and its init layer are gone; the image’s layers stay.',

  'ctrd.Containers.Create':
    'Only now, at start, does the container appear in containerd: dockerd creates a containerd container, which is metadata only (the OCI spec and runtime io.containerd.runc.v2). It names no snapshot: the spec’s root is a path dockerd has already mounted. No process yet.',
  'ctrd.Containers.Create.reply':
    'containerd answers “{call}”: the container metadata is stored and /containers/create published.',
  'ctrd.Containers.Delete':
    'dockerd deletes the containerd container: in Docker it only lives while the container runs, and the next `docker start` creates it again.',
  'ctrd.Containers.Delete.reply':
    'containerd answers “{call}”. `docker ps -a` still shows the container: only containerd’s copy is gone, dockerd keeps its own.',

  'ctrd.Tasks.Create':
    'dockerd asks containerd to create the task, the running instance of the container: containerd starts a shim for the container, which runs `runc create`. The container’s stdio goes to FIFOs that dockerd reads.',
  'ctrd.Tasks.Create.reply':
    'containerd answers “{call}”. With OK the container’s namespaces and cgroup exist and its init process waits; an error is runc’s, passed up through the shim.',
  'ctrd.Tasks.Start':
    'dockerd asks containerd to start the task, or, with an exec_id, an exec process added to it; containerd passes it to the shim, which runs `runc start` for the container and `runc exec` for an exec process.',
  'ctrd.Tasks.Start.reply':
    'containerd answers “{call}”. With OK the process runs under that PID on the host (the container’s main process is PID 1 inside its own PID namespace); an error comes from runc, through the shim.',
  'ctrd.Tasks.Kill':
    'dockerd asks containerd to send signal {signal} to the container’s main process; containerd passes it to the shim, which runs `runc kill`.',
  'ctrd.Tasks.Kill.reply':
    'containerd answers “{call}”: the signal is sent. That does not mean the process has exited: an exit arrives later as a /tasks/exit event.',
  'ctrd.Tasks.Pause':
    'dockerd asks containerd to pause the task; the shim runs `runc pause`, which freezes the container’s cgroup.',
  'ctrd.Tasks.Pause.reply': 'containerd answers “{call}”: the task is paused.',
  'ctrd.Tasks.Resume':
    'dockerd asks containerd to resume the task; the shim runs `runc resume`, which thaws the container’s cgroup.',
  'ctrd.Tasks.Resume.reply': 'containerd answers “{call}”: the task runs again.',
  'ctrd.Tasks.Exec':
    'dockerd asks containerd to add an exec process to the running task. The shim only registers it (/tasks/exec-added): it is started by the Tasks.Start that follows.',
  'ctrd.Tasks.Exec.reply': 'containerd answers “{call}”: the exec process is registered, not yet running.',
  'ctrd.Tasks.Delete':
    'The task has exited, so dockerd deletes it: the shim runs `runc delete` to release the cgroup and runc’s state, and returns the exit status.',
  'ctrd.Tasks.Delete.reply': 'containerd answers “{call}”: the task is gone, and its shim can now shut down.',

  'ctrd.event.tasks.exit':
    'containerd forwards the shim’s /tasks/exit to dockerd, which subscribes to containerd’s event stream: a process of the container has ended. If it is the main process, dockerd starts cleaning up.',
  'ctrd.event.tasks.oom':
    'containerd forwards /tasks/oom to dockerd: the kernel’s OOM killer struck inside the container’s cgroup, so dockerd will record OOMKilled: true.',
  'ctrd.event.tasks.paused':
    'containerd forwards /tasks/paused to dockerd: every process of the container is frozen by the cgroup freezer, so dockerd marks it paused and logs the pause event.',
  'ctrd.event.tasks.resumed':
    'containerd forwards /tasks/resumed to dockerd: the cgroup freezer has thawed the container’s processes, so dockerd marks it running again and logs the unpause event.',
  'ctrd.Tasks.DeleteProcess':
    'The exec process has exited (or could not start), so dockerd asks containerd to delete it from the task; the container itself keeps running.',
  'ctrd.Tasks.DeleteProcess.reply': 'containerd answers “{call}”: the shim has forgotten the exec process.',
  'ctrd.Content.Info':
    'Before uploading a blob, dockerd asks containerd’s content store for it ({call}): it must be here, and its size goes into the upload.',
  'ctrd.Content.Info.reply': 'containerd answers “{call}”: the content store has the blob, under its sha256.',
  'ctrd.Content.ReaderAt':
    'dockerd reads the manifest’s exact bytes from the content store ({call}): a push sends them unchanged, so the registry computes the same digest.',
  'ctrd.Content.ReaderAt.reply': 'containerd answers “{call}”: the manifest’s bytes, exactly as stored.',
};
