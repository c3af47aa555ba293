// Errors as ttrpc carries them: a google.rpc.Status {code, message} in the Response, with the
// gRPC code numbers (https://github.com/grpc/grpc/blob/master/doc/statuscodes.md). The shim
// answers containerd's errdefs as codes (errdefs/grpc.go: NotFound, AlreadyExists,
// FailedPrecondition, …), so a caller can tell "no such process" from a broken connection.

export const Code = {
  ok: 0,
  cancelled: 1,
  unknown: 2,
  invalidArgument: 3,
  deadlineExceeded: 4,
  notFound: 5,
  alreadyExists: 6,
  permissionDenied: 7,
  resourceExhausted: 8,
  failedPrecondition: 9,
  aborted: 10,
  outOfRange: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  dataLoss: 15,
  unauthenticated: 16,
} as const;

export type CodeName = keyof typeof Code;

function isCodeName(name: string): name is CodeName {
  return name in Code;
}

const NAMES = new Map<number, CodeName>(
  Object.keys(Code)
    .filter(isCodeName)
    .map((name) => [Code[name], name]),
);

export function codeName(code: number): CodeName | 'unknown' {
  return NAMES.get(code) ?? 'unknown';
}

/** A ttrpc call that failed: the status the server sent, or the client's own (closed, timed out). */
export class TtrpcError extends Error {
  readonly code: number;
  readonly codeName: CodeName | 'unknown';
  /** The status message alone, without the method and code. */
  readonly detail: string;

  constructor(code: number, detail: string, method = '') {
    super(`${method === '' ? '' : `${method}: `}${codeName(code)}: ${detail}`);
    this.name = 'TtrpcError';
    this.code = code;
    this.codeName = codeName(code);
    this.detail = detail;
  }
}

/** The connection is gone (ttrpc's ErrClosed): every pending and later call fails with it. */
export function closedError(method = '', why = 'ttrpc: closed'): TtrpcError {
  return new TtrpcError(Code.unavailable, why, method);
}

export function isClosed(error: unknown): boolean {
  return error instanceof TtrpcError && error.code === Code.unavailable;
}
