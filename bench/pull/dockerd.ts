// A private dockerd for the baseline (Debian's docker.io), with paths of its own so it
// coexists with any other Docker on the host; stopped by its pid when the bench ends.
import http from 'node:http';
import { startDockerd as startPrivateDockerd } from '../../test/engine/helpers/dockerd.ts';

export interface Dockerd {
  socket: string;
  stop(): Promise<void>;
}

export function engineRequest(
  socket: string,
  method: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path, headers: { host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The baseline dockerd: the test suites' private one (test/engine/helpers/dockerd.ts), under the
 * bench's own directory, downloading `downloads` layers at once as dockstep does in the bench.
 */
export async function startDockerd(base: string, downloads: number): Promise<Dockerd> {
  const d = await startPrivateDockerd({ base, args: [`--max-concurrent-downloads=${downloads}`] });
  return { socket: d.socket, stop: () => d.stop() };
}
