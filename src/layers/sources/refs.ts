import type { Profile } from '../../model/trace.ts';

/**
 * The releases a source names (src/layers/sources.ts). Classic is dockerd 20.10.24 with containerd
 * 1.6.20 and runc 1.1.5 (the engine the fixtures recorded); v29 is Engine 29.0.0 with containerd
 * 2.1.5 and runc 1.3.3 (its Dockerfile). The docker CLI is 28.2.2 in both.
 */
export interface CodeSource {
  repo: string;
  tag: string;
  file: string;
  /** The function or method, as the source names it (`(*Daemon).createSpec`). */
  func: string;
}

/**
 * Closed-source code (Docker Desktop's backend and VM): what it is documented to do, on the page
 * that documents it, since no repository holds it.
 */
export interface DocSource {
  doc: string;
  title: string;
}

export type Source = CodeSource | DocSource;
export type Pair = Partial<Record<Profile, Source>>;

export const MOBY20 = { repo: 'moby/moby', tag: 'v20.10.24' };
export const MOBY29 = { repo: 'moby/moby', tag: 'docker-v29.0.0' };
export const CTRD16 = { repo: 'containerd/containerd', tag: 'v1.6.20' };
export const CTRD21 = { repo: 'containerd/containerd', tag: 'v2.1.5' };
export const RUNC11 = { repo: 'opencontainers/runc', tag: 'v1.1.5' };
export const RUNC13 = { repo: 'opencontainers/runc', tag: 'v1.3.3' };
export const CLI = { repo: 'docker/cli', tag: 'v28.2.2' };
/** The kubelet and the Linux kernel are the same whatever the Docker profile. */
export const K8S = { repo: 'kubernetes/kubernetes', tag: 'v1.34.0' };
export const LINUX = { repo: 'torvalds/linux', tag: 'v6.1' };

/** The same file and function in both profiles' moby, whose API router moved in 29. */
export function apiRoute(router: string, file: string, func: string): Pair {
  return {
    classic: { ...MOBY20, file: `api/server/router/${router}/${file}`, func },
    v29: { ...MOBY29, file: `daemon/server/router/${router}/${file}`, func },
  };
}

/** The same function in both profiles' moby (the file can have moved in 29). */
export function both(file: string, func: string, v29File = file): Pair {
  return { classic: { ...MOBY20, file, func }, v29: { ...MOBY29, file: v29File, func } };
}

/** Each profile's moby names it differently. */
export function moby(classic: [string, string], v29: [string, string]): Pair {
  return {
    classic: { ...MOBY20, file: classic[0], func: classic[1] },
    v29: { ...MOBY29, file: v29[0], func: v29[1] },
  };
}

/** containerd's services moved under plugins/ in 2.0. */
export function ctrdService(service: string, file: string, func: string): Pair {
  return {
    classic: { ...CTRD16, file: `services/${service}/${file}`, func },
    v29: { ...CTRD21, file: `plugins/services/${service}/${file}`, func },
  };
}

/** containerd 1.6 and 2.1, each with its own path. */
export function ctrd(classic: [string, string], v29: [string, string]): Pair {
  return {
    classic: { ...CTRD16, file: classic[0], func: classic[1] },
    v29: { ...CTRD21, file: v29[0], func: v29[1] },
  };
}

/** The runc shim's task service moved to cmd/ in 2.0. */
export function shimTask(func: string): Pair {
  return {
    classic: { ...CTRD16, file: 'runtime/v2/runc/task/service.go', func },
    v29: { ...CTRD21, file: 'cmd/containerd-shim-runc-v2/task/service.go', func },
  };
}

export function runc(file: string, func: string): Pair {
  return { classic: { ...RUNC11, file, func }, v29: { ...RUNC13, file, func } };
}

/** Code that is the same whatever the profile (the kernel, the kubelet). */
export function any(source: Source): Pair {
  return { classic: source, v29: source };
}

/** containerd 2.1's CRI plugin: only the v29 profile runs Kubernetes. */
export function cri(file: string, func: string): Pair {
  return { v29: { ...CTRD21, file: `internal/cri/${file}`, func } };
}

/** BuildKit as Engine 29 vendors it. */
export function buildkit(file: string, func: string): Pair {
  return { v29: { ...MOBY29, file: `vendor/github.com/moby/buildkit/${file}`, func } };
}
