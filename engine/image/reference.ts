// Image references for the engine: the one model's grammar and normalisation
// (src/model/reference.ts, distribution/reference), with the engine's error type. A reference
// with neither tag nor digest means `:latest` (TagNameOnly), as dockerd's pull and lookups take it.
import {
  InvalidReferenceError,
  parseReference as parseModel,
  referenceName,
  referenceString,
  type ImageReference,
  type ReferenceParts,
} from '../../src/model/reference.ts';
import { ImageError } from './errors.ts';

export { familiarName, manifestReference, registryHost } from '../../src/model/reference.ts';
export type Reference = ReferenceParts;

/**
 * The engine's message: dockerd's `invalid reference format` words with the model's detail and
 * the value in brackets (engine/daemon/errors.ts strips the brackets for the Engine API).
 */
function invalid(error: InvalidReferenceError): ImageError {
  const detail = /must be lowercase/.test(error.message)
    ? 'repository name must be lowercase'
    : error.message.replace(/^invalid reference format:? ?/, '');
  const words = detail === '' ? 'invalid reference format' : `invalid reference format: ${detail}`;
  return new ImageError('invalid', `${words} (${JSON.stringify(error.reference)})`);
}

/** `ParseNormalizedNamed` then `TagNameOnly`; an ImageError coded `invalid` on a bad name. */
export function parseReference(input: string): ImageReference {
  try {
    return parseModel(input);
  } catch (error) {
    if (error instanceof InvalidReferenceError) throw invalid(error);
    throw error;
  }
}

/** `domain/path` — the repository a name lives in. */
export const repositoryOf = referenceName;

/** The full name: `domain/path:tag`, `domain/path@digest` or both. */
export const formatReference = referenceString;
