// How a registry's refusal reads: the distribution spec's error body
// `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":…}]}`
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes) turned
// into one lowercase sentence in docker's words, e.g. `manifest for 127.0.0.1:5000/app:v1 not
// found: manifest unknown: manifest unknown`. Beside that sentence, a refusal keeps the words
// dockerd prints for the same answer (its distribution client's), for the Engine API to show.
import { STATUS_CODES } from 'node:http';
import { ImageError, type ImageErrorCode } from '../errors.ts';

/** An ImageError that also knows how dockerd words it, e.g. `unauthorized: incorrect username or password`. */
export class RegistryError extends ImageError {
  constructor(
    code: ImageErrorCode,
    message: string,
    readonly dockerText: string,
  ) {
    super(code, message);
  }
}

/** dockerd's words for an error, when the registry plumbing knew them. */
export function dockerTextOf(error: unknown): string | undefined {
  return error instanceof RegistryError ? error.dockerText : undefined;
}

/** errcode's `<code in lowercase words>: <message>` (docker/distribution registry/api/errcode). */
function errcodeText(e: RegistryErrorBody): string {
  return `${e.code.toLowerCase().replace(/_/g, ' ')}: ${e.message}`;
}

/** Go's encoding/json complaint about a body that is not JSON (the common two cases). */
function goJsonError(body: Buffer): string {
  const first = body.toString('utf8').trimStart().charAt(0);
  return first === '' || /[{["tfn\d-]/.test(first)
    ? 'unexpected end of JSON input'
    : `invalid character '${first}' looking for beginning of value`;
}

/**
 * What dockerd says for a 4xx or 5xx answer, as docker/distribution's HandleErrorResponse
 * words it (registry/client/errors.go): a `{"details": "…"}` body (Docker Hub's token server)
 * is `unauthorized: …` on a 401, `toomanyrequests: …` on a 429, `unknown: …` otherwise; an
 * `{"errors": […]}` body is its errcodes; a 401 without either is `unauthorized: authentication
 * required`; any other status, `received unexpected HTTP status: 500 Internal Server Error`.
 */
export function distributionText(status: number, body: Buffer): string {
  if (status < 400 || status >= 500)
    return `received unexpected HTTP status: ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    doc = undefined;
  }
  const details = (doc as { details?: unknown } | undefined)?.details;
  if (typeof details === 'string' && details !== '') {
    const code = status === 401 ? 'unauthorized' : status === 429 ? 'toomanyrequests' : 'unknown';
    return `${code}: ${details}`;
  }
  const errors = parseErrors(body);
  if (errors.length === 1) return errcodeText(errors[0] as RegistryErrorBody);
  if (errors.length > 1) return `errors:\n${errors.map((e) => `${errcodeText(e)}\n`).join('')}`;
  if (status === 401) return 'unauthorized: authentication required';
  const why = doc === undefined ? goJsonError(body) : 'no error details found in HTTP response body';
  return `error parsing HTTP ${status} response body: ${why}: ${JSON.stringify(body.toString('utf8'))}`;
}

export interface RegistryErrorBody {
  code: string;
  message: string;
}

export function parseErrors(body: Buffer): RegistryErrorBody[] {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(doc.errors)) return [];
    return doc.errors.map((e: { code?: unknown; message?: unknown }) => ({
      code: String(e.code ?? 'UNKNOWN'),
      message: String(e.message ?? ''),
    }));
  } catch {
    return [];
  }
}

function describe(errors: RegistryErrorBody[]): string {
  return errors
    .map((e) => `${e.code.toLowerCase().replace(/_/g, ' ')}: ${e.message.toLowerCase()}`)
    .join('; ');
}

export interface FailureContext {
  method: string;
  url: URL;
  /** What was asked for, in docker's words: `manifest for host/repo:tag`, `blob sha256:… in host/repo`. */
  what: string;
  repository: string;
  withCredentials: boolean;
}

/** The error for a status the caller did not expect. */
export function failure(status: number, body: Buffer, ctx: FailureContext): ImageError {
  const errors = parseErrors(body);
  const detail = errors.length > 0 ? `: ${describe(errors)}` : '';
  if (status === 401) {
    const why = ctx.withCredentials ? 'the credentials were refused' : 'authentication required';
    return new RegistryError(
      'unauthorized',
      `unauthorized: ${why} for ${ctx.repository}${detail}`,
      distributionText(status, body),
    );
  }
  if (status === 403)
    return new RegistryError(
      'denied',
      `denied: requested access to ${ctx.repository} is denied${detail}`,
      distributionText(status, body),
    );
  if (status === 404) {
    if (errors.some((e) => e.code === 'NAME_UNKNOWN'))
      return new ImageError('not-found', `repository ${ctx.repository} not found${detail}`);
    return new ImageError('not-found', `${ctx.what} not found${detail || ': not found'}`);
  }
  if (status === 429)
    return new ImageError(
      'server',
      `toomanyrequests: ${ctx.url.host} is rate limiting ${ctx.method} ${ctx.url.pathname}${detail}`,
    );
  const kind = status >= 500 ? `server error ${status}` : `unexpected status ${status}`;
  return new ImageError(
    'server',
    `registry ${ctx.url.host} answered ${kind} for ${ctx.method} ${ctx.url.pathname}${detail}`,
  );
}

/** The network error as Go's net/http client words it, which is what dockerd prints. */
export function goErrorText(url: URL, error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${url.hostname}:${port}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'EHOSTUNREACH':
      return `dial tcp ${url.hostname}:${port}: connect: no route to host`;
    default:
      break;
  }
  if ((error as { code?: string }).code === 'timeout')
    return 'net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';
  return (error as Error).message;
}
