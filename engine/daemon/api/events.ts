// GET /events?since&until&filters: `docker events`. Past events from `since` are sent first,
// then live ones; with `until` the stream ends at that time (at once when it is past). Times
// are unix seconds with an optional fraction ("1700000000.5"); filters are dockerd's
// {"type":[…],"event":[…],"image":[…],"container":[…]} (moby daemon/events/filter.go): `image`
// matches the actor id or its name attribute, with or without the tag; `container` a container
// event's name or id (prefix).
import type { Call, Route } from '../context.ts';
import { badRequest } from '../errors.ts';
import type { EngineEvent } from '../events.ts';
import { parseFilterDoc } from '../../../src/layers/dockerd/ops/imageFilters.ts';

function parseTime(text: string | null, what: string): bigint | undefined {
  if (text === null || text === '') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (m === null) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw badRequest(`invalid ${what} time ${JSON.stringify(text)}`);
    return BigInt(ms) * 1_000_000n;
  }
  return BigInt(m[1] ?? '0') * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function matcher(filters: Map<string, string[]>): (e: EngineEvent) => boolean {
  const types = filters.get('type');
  const actions = filters.get('event') ?? filters.get('action');
  const images = filters.get('image');
  const containers = filters.get('container');
  const strip = (s: string): string => s.replace(/:[^/:]*$/, '');
  return (e) =>
    (types === undefined || types.includes(e.Type)) &&
    (actions === undefined || actions.includes(e.Action)) &&
    (images === undefined ||
      images.some((i) =>
        [e.Actor.ID, e.Actor.Attributes['name'] ?? ''].some((v) => v === i || strip(v) === strip(i)),
      )) &&
    // A container by its name or its id, or an id prefix (moby daemon/events/filter.go matchContainer).
    (containers === undefined ||
      (e.Type === 'container' &&
        containers.some((c) => e.Actor.Attributes['name'] === c || e.Actor.ID.startsWith(c))));
}

async function events(call: Call): Promise<void> {
  const since = parseTime(call.query.get('since'), 'since');
  const until = parseTime(call.query.get('until'), 'until');
  const filters = parseFilterDoc(call.query.get('filters'));
  if ('error' in filters) throw badRequest(filters.error);
  const match = matcher(filters);
  const inRange = (e: EngineEvent): boolean => {
    const t = BigInt(e.timeNano);
    return (since === undefined || t >= since) && (until === undefined || t <= until) && match(e);
  };
  const { res } = call;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  const send = (e: EngineEvent): void => {
    if (inRange(e)) res.write(`${JSON.stringify(e)}\n`);
  };
  if (since !== undefined) call.engine.events.history().forEach(send);
  const nowNano = BigInt(Date.now()) * 1_000_000n;
  if (until !== undefined && until <= nowNano) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const unsubscribe = call.engine.events.subscribe(send);
    const finish = (): void => {
      unsubscribe();
      clearTimeout(timer);
      // The engine's closing signal outlives every stream: leave no listener on it.
      call.engine.closing.removeEventListener('abort', finish);
      if (!res.writableEnded) res.end();
      resolve();
    };
    const timer =
      until === undefined ? undefined : setTimeout(finish, Number((until - nowNano) / 1_000_000n));
    res.on('close', finish);
    call.engine.closing.addEventListener('abort', finish, { once: true });
  });
}

export const routes: Route[] = [{ method: 'GET', path: '/events', handler: events }];
