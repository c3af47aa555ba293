import type { Fault, RegistryFault, RegistryFaultStatus } from '../model/faults.ts';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../ports/registry.ts';

/**
 * The registry with faults: a matching request gets the fault's status and the error body of
 * the Distribution spec (https://distribution.github.io/distribution/spec/api/#errors), as a
 * real registry or a proxy in front of it would answer. Everything else passes through.
 */
const TEXT: Record<RegistryFaultStatus, string> = {
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

const CODE: Record<RegistryFaultStatus, [string, string]> = {
  401: ['UNAUTHORIZED', 'authentication required'],
  403: ['DENIED', 'requested access to the resource is denied'],
  404: ['NAME_UNKNOWN', 'repository name not known to registry'],
  429: ['TOOMANYREQUESTS', 'You have reached your pull rate limit.'],
  500: ['UNKNOWN', 'unknown error'],
  502: ['UNKNOWN', 'bad gateway'],
  503: ['UNAVAILABLE', 'service unavailable'],
};

export class FaultyRegistry implements RegistryTransport {
  private readonly left: (number | undefined)[];

  constructor(
    private readonly inner: RegistryTransport,
    private readonly faults: readonly RegistryFault[],
  ) {
    this.left = faults.map((f) => f.times);
  }

  roundTrip(request: RegistryRequest): RegistryResponse {
    const i = this.faults.findIndex((f, k) => request.path.startsWith(f.path) && this.left[k] !== 0);
    const fault = this.faults[i];
    if (!fault) return this.inner.roundTrip(request);
    const left = this.left[i];
    if (left !== undefined) this.left[i] = left - 1;
    const [code, message] = CODE[fault.status];
    const body = request.method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ code, message, detail: null }] });
    return { status: fault.status, statusText: TEXT[fault.status], headers: { 'Content-Type': 'application/json; charset=utf-8' }, ...(body ? { body } : {}), bodySize: body?.length ?? 0 };
  }
}

export function registryFaults(faults: readonly Fault[]): RegistryFault[] {
  return faults.flatMap((f) => ('registry' in f ? [f.registry] : []));
}
