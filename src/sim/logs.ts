import type { LogLine, LogStore } from '../ports/logs.ts';

/** The json-file log driver's files, in memory. */
export class SimLogStore implements LogStore {
  private files = new Map<string, LogLine[]>();

  append(containerId: string, line: LogLine): void {
    const lines = this.files.get(containerId) ?? [];
    // json-file writes the line out when it is appended: later changes to the caller's object do not reach it.
    lines.push({ ...line });
    this.files.set(containerId, lines);
  }

  read(containerId: string, tail?: number): LogLine[] {
    const lines = this.files.get(containerId) ?? [];
    const shown = tail === undefined ? lines : lines.slice(Math.max(0, lines.length - tail));
    return shown.map((l) => ({ ...l }));
  }

  remove(containerId: string): void {
    this.files.delete(containerId);
  }

  pathOf(containerId: string): string {
    return `/var/lib/docker/containers/${containerId}/${containerId}-json.log`;
  }
}
