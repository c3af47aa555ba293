// Image names as dockerd resolves and shows them. A `{name}` in a path is, in dockerd's order
// (daemon/images/image.go GetImage): a full id (`sha256:<64 hex>`), a reference whose name is
// stored, or an unambiguous prefix of an id. Names are stored in full
// (`docker.io/library/busybox:latest`) and shown in docker's familiar form (`busybox:latest`).
import { isImageError } from '../image/errors.ts';
import { familiarName, formatReference, parseReference, type Reference } from '../image/reference.ts';
import type { ImageRoot } from '../image/root.ts';
import type { ImageRecord } from '../image/store/imageStore.ts';
import { badRequest, notFound } from './errors.ts';

export interface Found {
  /** The image id: the config digest. */
  id: string;
  /** Every stored name of that image. */
  records: ImageRecord[];
  /** The stored name the input named, when it named one (not an id). */
  named?: ImageRecord;
}

/** A reference in dockerd's words: `invalid reference format` (with its one detail) on failure. */
export function reference(input: string): Reference {
  try {
    return parseReference(input);
  } catch (error) {
    if (isImageError(error, 'invalid')) {
      const lower = /must be lowercase/.test(error.message);
      throw badRequest(`invalid reference format${lower ? ': repository name must be lowercase' : ''}`);
    }
    throw error;
  }
}

export function familiar(name: string): string {
  return familiarName(parseReference(name));
}

function byId(root: ImageRoot, id: string): Found | undefined {
  const records = root.images.list().filter((r) => r.config.digest === id);
  return records.length === 0 ? undefined : { id, records };
}

/** `No such image: busybox:latest` (the input with docker's implied :latest). */
function noSuch(input: string): never {
  let shown = input;
  try {
    const ref = parseReference(input);
    if (!input.includes('@') && !/:[^/]*$/.test(input)) shown = `${input}:${ref.tag ?? 'latest'}`;
  } catch {
    // shown as typed
  }
  throw notFound(`No such image: ${shown}`);
}

export function findImage(root: ImageRoot, input: string): Found {
  if (/^sha256:[a-f0-9]{64}$/.test(input)) return byId(root, input) ?? noSuch(input);
  let named: ImageRecord | undefined;
  try {
    named = root.images.get(formatReference(parseReference(input)));
  } catch {
    // not a reference: maybe an id prefix
  }
  if (named !== undefined) {
    const found = byId(root, named.config.digest);
    if (found !== undefined) return { ...found, named };
  }
  const hex = input.replace(/^sha256:/, '');
  if (/^[a-f0-9]{1,64}$/.test(hex)) {
    const ids = new Set(
      root.images
        .list()
        .map((r) => r.config.digest)
        .filter((id) => id.slice(7).startsWith(hex)),
    );
    if (ids.size === 1) return byId(root, [...ids][0] ?? '') ?? noSuch(input);
  }
  return noSuch(input);
}

/**
 * The annotation on the target of a name no registry gave: `load` (from a tarball) or `tag`
 * (made locally). Such a name has no RepoDigest until it is pushed, as with dockerd.
 */
export const SOURCE = 'io.dockstep.image.source';

/** A target marked as made here (`load`, `tag`), not resolved at a registry. */
export function localTarget(target: ImageRecord['target'], source: 'load' | 'tag'): ImageRecord['target'] {
  return { ...target, annotations: { ...target.annotations, [SOURCE]: source } };
}

/** A repository in docker's familiar form, without a tag: `busybox`, `127.0.0.1:5000/app`. */
export function familiarRepo(name: string): string {
  const ref = parseReference(name);
  return familiarName({ domain: ref.domain, path: ref.path });
}
