// What flows through the logger: a message as the copier makes it (moby daemon/logger Message)
// and as the reader gives it back (backend.LogMessage): which stream, the bytes, the time in
// nanoseconds since the epoch.

export type StreamName = 'stdout' | 'stderr';

export interface LogMessage {
  stream: StreamName;
  /** The line without its newline (a partial piece has none to lose). */
  line: Buffer;
  time: bigint;
  /** Set on the pieces of a line the copier had to cut: every piece but the last has
   * `last: false`; the last, which ends with the newline, `last: true`. */
  partial?: { ordinal: number; last: boolean };
}

/** A message read back from the file: "log" as it was written, so a whole line ends with "\n". */
export interface StoredMessage {
  /** '' for a line written without a stream. */
  stream: StreamName | '';
  line: Buffer;
  time: bigint;
}
