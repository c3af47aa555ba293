/**
 * `dockstep images [-a] [-q] [--digests] [--no-trunc] [REPOSITORY[:TAG]]`:
 * `GET /images/json[?all=1][&filters={"reference":{"REPO":true}}]`, drawn as docker's table.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/list.go
 * https://github.com/moby/moby/blob/v28.2.2/client/image_list.go
 */
import type { ImageSummary } from '../../../src/views/docker/images.ts';
import { formatImageTable } from '../render/images.ts';
import type { Command } from '../io.ts';

export const images: Command = async (engine, { values, args }, io) => {
  const query = new URLSearchParams();
  if (values.bool('all')) query.set('all', '1');
  const repo = args[0];
  if (repo !== undefined && repo !== '')
    query.set('filters', JSON.stringify({ reference: { [repo]: true } }));
  const list = await engine.list<ImageSummary>('GET', '/images/json', { query });
  const opts = {
    quiet: values.bool('quiet'),
    noTrunc: values.bool('no-trunc'),
    digests: values.bool('digests'),
  };
  io.stdout.write(formatImageTable(list, opts, io.now()));
};
