/**
 * Time and identity. Simulation uses a virtual clock and seeded ids so the same seed gives the
 * same run byte for byte; real mode uses the host's clock and random ids.
 *
 * Glossary: *virtual time* — milliseconds that only move when the scheduler moves them;
 * *seed* — the number every id of a run is derived from.
 */
export interface ClockPort {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export interface IdsPort {
  /** 64 hex digits, as Docker's container and exec ids. */
  id64(): string;
  hex(digits: number): string;
  /** Docker's `adjective_surname` name for an unnamed container. */
  name(): string;
  /** A host process id for the next process. */
  pid(): number;
}
