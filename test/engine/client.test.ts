// The dockstep client against a real, private dockerd (Debian's docker.io): every command's
// output compared with the docker CLI's. The same suite runs against the dockstep engine by
// passing another `start`.
import { clientSuite } from './clientSuite.ts';
import { startDockerd } from './helpers/dockerd.ts';

clientSuite('client against a private dockerd', startDockerd, {
  needs: ['docker'],
  dockstepEndpoints: false,
});
