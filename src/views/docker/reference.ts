/**
 * Image references as the CLI views print them: `docker ps`'s IMAGE, `docker images` rows and
 * `docker pull`'s last line. The grammar and normalisation are the one model's
 * (src/model/reference.ts, distribution/reference); this module only gives the views an
 * error-as-value form and the Go function names they follow.
 */
import {
  InvalidReferenceError,
  parseNormalizedNamed as parseNamed,
  referenceName,
  referenceString,
  type ImageReference,
} from '../../model/reference.ts';

export {
  familiarName as familiarString,
  familiarRepository as familiarName,
  tagNameOnly,
} from '../../model/reference.ts';
export type { ImageReference } from '../../model/reference.ts';

/** `reference.ParseNormalizedNamed`: the reference, or Go's error text. */
export function parseReference(s: string): { ref: ImageReference } | { error: string } {
  try {
    return { ref: parseNamed(s) };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { error: error.message };
    throw error;
  }
}

/** `reference.ParseNormalizedNamed`; undefined where Go returns an error. */
export function parseNormalizedNamed(s: string): ImageReference | undefined {
  const result = parseReference(s);
  return 'ref' in result ? result.ref : undefined;
}

/** The full name, "docker.io/library/nginx". */
export const fullName = referenceName;

/** `Reference.String()`: "docker.io/library/nginx:latest". */
export const fullString = referenceString;
