// Errors as the Engine API answers them: a status code and `{"message": "…"}` with
// `Content-Type: application/json` (moby api/server/httpstatus: errdefs kinds → codes). The
// image plumbing's codes (engine/image/errors.ts) map onto those kinds here, in one place.
import { isImageError, type ImageErrorCode } from '../image/errors.ts';
import { dockerTextOf } from '../image/registry/errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const conflict = (message: string): ApiError => new ApiError(409, message);

const STATUS: Record<ImageErrorCode, number> = {
  invalid: 400,
  'not-found': 404,
  unauthorized: 401,
  denied: 403,
  unreachable: 500,
  timeout: 500,
  server: 500,
  'digest-mismatch': 500,
  'size-mismatch': 500,
  truncated: 500,
  unsupported: 400,
  'unsafe-layer': 500,
  conflict: 409,
  cancelled: 500,
};

/** dockerd's `invalid reference format…` text, without this engine's own detail in brackets. */
function dockerText(message: string): string {
  // Go's net/http words for a refused connection: Get "http://h/v2/": dial tcp h: connect: connection refused
  const refused = /^registry (\S+) is unreachable: econnrefused on (\w+) (\S+)/.exec(message);
  if (refused !== null) {
    const method = (refused[2] ?? '').charAt(0) + (refused[2] ?? '').slice(1).toLowerCase();
    return `${method} "${refused[3] ?? ''}": dial tcp ${refused[1] ?? ''}: connect: connection refused`;
  }
  // A blob the registry lost mid-pull: dockerd's distribution client says only this (measured).
  if (/^blob sha256:[0-9a-f]{64} in \S+ not found/.test(message)) return 'unknown blob';
  const m = /^(invalid reference format)(?:: (repository name must be lowercase))?/.exec(message);
  if (m === null) return message;
  return m[2] === undefined ? (m[1] ?? message) : `${m[1]}: ${m[2]}`;
}

/** Any thrown value as the status and message dockerd would answer with. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isImageError(error))
    return new ApiError(STATUS[error.code], dockerTextOf(error) ?? dockerText(error.message));
  return new ApiError(500, error instanceof Error ? error.message : String(error));
}
