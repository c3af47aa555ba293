import { ramInBytes } from '../cli/index.ts';
import {
  IGNORABLE_SIGNALS,
  REGISTRY_FAULT_STATUSES,
  type Fault,
  type IgnorableSignal,
} from '../model/faults.ts';
import { type Checker, join } from './checker.ts';
import { FAULT_KINDS, FIELDS, RANGES, REGISTRY_PATH } from './format.ts';

const KINDS = FAULT_KINDS;

/**
 * One entry of a lesson's `faults:` list (model/faults.ts says what each does):
 * `registry: { path, status | timeout, times? }`, `process: { image, ignore: [SIGTERM] }`,
 * `disk: { free: 20m }`, `port: { port: 8080 }`. Every mistake names its field.
 */
export function fault(c: Checker, path: string): Fault | undefined {
  const f = c.object(path, KINDS);
  const kinds = Object.keys(f ?? {}).filter((k) => (KINDS as readonly string[]).includes(k));
  if (f && kinds.length !== 1) return c.fail(path, `expected exactly one of ${KINDS.join(', ')}`);
  const p = join(path, kinds[0] ?? '');
  switch (kinds[0]) {
    case 'registry':
      return registry(c, p);
    case 'process':
      return process(c, p);
    case 'disk':
      return disk(c, p);
    case 'port': {
      c.object(p, FIELDS.faultPort);
      const port = c.integer(join(p, 'port'), ...RANGES.port);
      return port === undefined ? undefined : { port: { port } };
    }
    default:
      return undefined;
  }
}

function registry(c: Checker, p: string): Fault | undefined {
  c.object(p, FIELDS.faultRegistry);
  const path = c.string(join(p, 'path'), {
    pattern: REGISTRY_PATH,
    hint: 'a registry path starting with /v2/',
  });
  const timeout = c.boolean(join(p, 'timeout'), false);
  const hasStatus = c.get(join(p, 'status')) !== undefined;
  if (timeout === hasStatus) return c.fail(p, 'expected either status or timeout: true');
  if (timeout && path !== undefined && path !== '/v2/')
    return c.fail(
      join(p, 'path'),
      `a timeout applies to /v2/ only (dockerd's ping has a deadline; other requests would hang for good), got '${path}'`,
    );
  const raw = c.get(join(p, 'status'));
  const status = REGISTRY_FAULT_STATUSES.find((s) => s === raw);
  if (hasStatus && status === undefined)
    c.expected(join(p, 'status'), `one of ${REGISTRY_FAULT_STATUSES.join(', ')}`);
  const times =
    c.get(join(p, 'times')) === undefined ? undefined : c.integer(join(p, 'times'), ...RANGES.times);
  if (path === undefined || (hasStatus && status === undefined)) return undefined;
  return {
    registry: {
      path,
      ...(status === undefined ? { timeout } : { status }),
      ...(times === undefined ? {} : { times }),
    },
  };
}

function process(c: Checker, p: string): Fault | undefined {
  c.object(p, FIELDS.faultProcess);
  const image = c.string(join(p, 'image'), { hint: 'an image name, as the catalogue calls it (nginx)' });
  const ignore = c
    .list(join(p, 'ignore'), { nonEmpty: true })
    .map((_, i) => c.oneOf(join(join(p, 'ignore'), i), IGNORABLE_SIGNALS));
  if (image === undefined || ignore.some((s) => s === undefined)) return undefined;
  return { process: { image, ignore: ignore as IgnorableSignal[] } };
}

function disk(c: Checker, p: string): Fault | undefined {
  c.object(p, FIELDS.faultDisk);
  const free = c.string(join(p, 'free'), { hint: "a size such as '20m'" });
  if (free === undefined) return undefined;
  try {
    return { disk: { free: ramInBytes(free) } };
  } catch {
    return c.fail(join(p, 'free'), `expected a size such as '20m' or '1g', got '${free}'`);
  }
}
