// GET /dockstep/v1/trace — a dockstep endpoint: the engine's trace as it happens, one JSON
// record a line (`{"n","root","entry"}`, engine/real/traceHub.ts): every message of every
// request that runs through the machines, with the docker and containerd events they publish,
// interleaved as they really were. It streams until the client hangs up or the engine stops.
// With `?states=0` the layers' states are left out (entries only: nothing is read per step).
// On the engine's own socket only (no network port): the socket's mode is the access control.
// A viewer that cannot keep up is cut off rather than let its buffer grow: a slow viewer never
// slows the real work.
import type { Call, Route } from '../context.ts';
import type { TraceRecord } from '../../real/traceHub.ts';

/** What one viewer may have unread in its socket before it is cut off. */
const MAX_UNREAD = 8 << 20;

function follow(call: Call): Promise<void> {
  const { res, engine } = call;
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  return new Promise<void>((done) => {
    const stop = (): void => {
      unfollow();
      engine.closing.removeEventListener('abort', stop);
      res.off('close', stop);
      if (!res.writableEnded) res.end();
      done();
    };
    const unfollow = engine.world.trace.follow(
      (record: TraceRecord) => {
        if (res.writableLength > MAX_UNREAD) {
          res.destroy();
          return stop();
        }
        res.write(`${JSON.stringify(record)}\n`);
      },
      { states: call.query.get('states') !== '0' },
    );
    res.on('close', stop);
    engine.closing.addEventListener('abort', stop, { once: true });
  });
}

export const routes: Route[] = [{ method: 'GET', path: '/dockstep/v1/trace', handler: follow }];
