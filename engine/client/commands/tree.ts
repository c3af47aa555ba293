/**
 * `dockstep image tree IMAGE [PATH]`: the image's merged root file system as a container would
 * see it, from dockstep's own endpoint `GET /dockstep/v1/images/{name}/tree?path=PATH` (the
 * engine mounts the image's snapshots read-only with overlayfs and lists them). The answer is
 * text/plain, one absolute path per line, printed as it comes; errors are the daemon's
 * `{"message"}` (404 no such image or path, 400 a relative path).
 */
import { copyTo, type Command } from '../io.ts';

export const tree: Command = async (engine, { args }, io) => {
  const [image = '', path] = args;
  const query = new URLSearchParams(path === undefined ? {} : { path });
  // Ping first: the connection and the version are checked as for every other command.
  await engine.negotiate();
  const res = await engine.request('GET', `/dockstep/v1/images/${image}/tree`, { query, unversioned: true });
  await copyTo(res, io.stdout);
};
