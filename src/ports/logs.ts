/**
 * Container logs: Docker's default `json-file` log driver
 * (https://docs.docker.com/engine/logging/drivers/json-file/).
 *
 * Lifecycle: the shim copies the container's stdout and stderr into FIFOs that dockerd reads;
 * dockerd's log driver appends one JSON object per line to
 * `/var/lib/docker/containers/<id>/<id>-json.log`: `{"log":"hi\n","stream":"stdout","time":"…"}`.
 * `docker logs` reads that file back — dockerd answers it alone, containerd and the shim are not
 * asked. The file goes when the container is removed.
 */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  timeMs: number;
}

export interface LogStore {
  append(containerId: string, line: LogLine): void;
  read(containerId: string, tail?: number): LogLine[];
  remove(containerId: string): void;
  pathOf(containerId: string): string;
}
