// The same client suite as client.test.ts, against the dockstep engine instead of a real dockerd:
// every command's output is compared with the docker CLI's against the same engine, and the
// engine's own endpoint (`image tree`) is exercised too.
import { clientSuite } from './clientSuite.ts';
import { startEngine } from './helpers/engine.ts';

clientSuite(
  'client against the dockstep engine',
  async () => {
    const engine = await startEngine();
    return { host: `unix://${engine.socket}`, stop: () => engine.stop() };
  },
  { needs: ['docker', 'overlay', 'attr'], dockstepEndpoints: true },
);
