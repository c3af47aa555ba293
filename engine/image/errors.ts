// One error type for the image plumbing, with a code a caller can switch on (the Engine API
// server later maps codes to HTTP statuses: not-found → 404, unauthorized → 401, invalid → 400,
// conflict → 409, the rest → 500). Messages are lowercase and name the value at fault.
export type ImageErrorCode =
  | 'invalid' // a malformed reference, manifest, config or argument
  | 'not-found' // manifest unknown, name unknown, blob unknown, no such image or snapshot
  | 'unauthorized' // 401 without or with bad credentials
  | 'denied' // 403
  | 'unreachable' // connection refused, reset, DNS
  | 'timeout'
  | 'server' // a 5xx, or a status the protocol does not expect
  | 'digest-mismatch'
  | 'size-mismatch'
  | 'truncated'
  | 'unsupported' // a media type or platform this engine does not handle
  | 'unsafe-layer' // a layer entry that would escape the root or break the host
  | 'conflict' // a snapshot with children, an existing name, a root in use
  | 'cancelled';

export class ImageError extends Error {
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

export function isImageError(error: unknown, code?: ImageErrorCode): error is ImageError {
  return error instanceof ImageError && (code === undefined || error.code === code);
}

/** A Node system error's code (ENOENT, ECONNREFUSED, …), or undefined. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
