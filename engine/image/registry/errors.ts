// How a registry's refusal reads: the distribution spec's error body
// `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":…}]}`
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes) turned
// into one lowercase sentence in docker's words, e.g. `manifest for 127.0.0.1:5000/app:v1 not
// found: manifest unknown: manifest unknown`.
import { ImageError } from '../errors.ts';

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
    return new ImageError('unauthorized', `unauthorized: ${why} for ${ctx.repository}${detail}`);
  }
  if (status === 403)
    return new ImageError('denied', `denied: requested access to ${ctx.repository} is denied${detail}`);
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
