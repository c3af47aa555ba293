import { any, buildkit, MOBY20, MOBY29, type Pair } from './refs.ts';

/** The legacy builder (classic) calls dockerd through its Backend interface. */
function backend(file: string, func: string): Pair {
  return { classic: { ...MOBY20, file, func } };
}

const DESKTOP_NETWORKING = {
  doc: 'https://docs.docker.com/desktop/features/networking/',
  title: 'Docker Desktop networking: how exposed ports work',
};
const DESKTOP_FILE_SHARING = {
  doc: 'https://docs.docker.com/desktop/settings-and-maintenance/settings/#file-sharing',
  title: 'Docker Desktop settings: file sharing',
};

/** docker build in both profiles, and Docker Desktop's VM (closed source: its documentation). */
export const BUILD_SOURCES: Record<string, Pair> = {
  'builder.build': backend('builder/dockerfile/builder.go', '(*BuildManager).Build'),
  'build.output': backend('builder/dockerfile/builder.go', '(*Builder).dispatchDockerfileWithCancellation'),
  'dockerd.build.context': backend('builder/remotecontext/archive.go', 'FromArchive'),
  'backend.GetImage': backend('daemon/images/image_builder.go', '(*ImageService).GetImageAndReleasableLayer'),
  'backend.GetCache': backend('image/cache/cache.go', '(*LocalImageCache).GetCache'),
  'backend.ContainerCreate': backend('daemon/create.go', '(*Daemon).ContainerCreateIgnoreImagesArgsEscaped'),
  'backend.ContainerCreateWorkdir': backend('daemon/workdir.go', '(*Daemon).ContainerCreateWorkdir'),
  'backend.ContainerAttachRaw': backend('daemon/attach.go', '(*Daemon).ContainerAttachRaw'),
  'backend.ContainerStart': backend('daemon/start.go', '(*Daemon).ContainerStart'),
  'backend.ContainerWait': backend('daemon/wait.go', '(*Daemon).ContainerWait'),
  'backend.ContainerRm': backend('daemon/delete.go', '(*Daemon).ContainerRm'),
  'backend.CommitBuildStep': backend('daemon/images/image_commit.go', '(*ImageService).CommitBuildStep'),
  'backend.CreateImage': backend('daemon/images/image_builder.go', '(*ImageService).CreateImage'),
  'backend.ImageNamed': {
    v29: {
      ...MOBY29,
      file: 'daemon/internal/builder-next/exporter/mobyexporter/export.go',
      func: '(*imageExporterInstance).Export',
    },
  },
  'buildkit.Solve': buildkit('control/control.go', '(*Controller).Solve'),
  'buildkit.Status': buildkit('control/control.go', '(*Controller).Status'),
  'buildkit.status': buildkit('control/control.go', '(*Controller).Status'),
  'buildkit.frontend': buildkit('frontend/dockerfile/dockerfile2llb/convert.go', 'Dockerfile2LLB'),
  'buildkit.cache': buildkit('solver/cachemanager.go', '(*cacheManager).Query'),
  'buildkit.executor': buildkit('executor/runcexecutor/executor.go', '(*runcExecutor).Run'),
  'session.DiffCopy': buildkit('session/filesync/filesync.go', '(*fsSyncProvider).DiffCopy'),
  'vm.exposePort': any(DESKTOP_NETWORKING),
  'vm.shareBinds': any(DESKTOP_FILE_SHARING),
  'vm.restorePaths': any(DESKTOP_FILE_SHARING),
};
