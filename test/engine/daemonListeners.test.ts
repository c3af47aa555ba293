// The engine's closing signal lives as long as the engine; a request that listens on it must stop
// listening when it ends, or a dozen `docker events` sessions make Node warn
// (MaxListenersExceededWarning past 10 listeners) and the listeners pile up for the engine's life.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realSuite } from './helpers/caps.ts';
import { startEngine, type RunningEngine } from './helpers/engine.ts';

let engine: RunningEngine;

realSuite('dockstep engine listeners', ['root', 'overlay', 'docker'], () => {
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('leaves no listener behind after event streams end, by their until time or by the client', async () => {
    for (let i = 0; i < 12; i++) {
      // A stream that ends by itself a moment from now (until is in seconds).
      const until = (Date.now() + 100) / 1000;
      const r = await engine.request('GET', `/events?until=${until.toFixed(3)}`);
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 12; i++) {
      const r = await engine.docker([
        'events',
        '--since',
        '0',
        '--until',
        String(Math.floor(Date.now() / 1000) + 1),
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await engine.request('GET', '/_ping')).status).toBe(200);
    expect(engine.log()).not.toContain('MaxListenersExceededWarning');
  });
});
