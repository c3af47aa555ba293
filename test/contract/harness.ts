import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

/**
 * The shared machinery of the port contract suites, in the style of containerd's snapshotter
 * testsuite (`core/snapshots/testsuite`) and Hono's shared router cases: a suite is a function
 * that registers the cases of one port against any adapter a factory makes, so the simulated
 * adapters (src/sim) and the real ones (engine/) answer to the same cases.
 *
 * Each case gets a fresh adapter from the factory. A case can be skipped for one adapter by its
 * title, and only with a reason; skipped cases are printed at collection time and carry the
 * reason as their skip note. A skip that names no case, or has no reason, fails the suite.
 * A port with no adapter of this kind yet is `pending` with one reason: every case is listed,
 * skipped with it, the reason is printed once, and the factory is never called.
 */
export interface ContractOptions<A> {
  /** Cases not to run against this adapter: case title → why. */
  skip?: Record<string, string>;
  /** Why there is no adapter to run the cases against (yet). */
  pending?: string;
  /** Called after every case with the adapter the factory made (temporary dirs, processes). */
  teardown?: (adapter: A) => void | Promise<void>;
}

export type Factory<A> = () => Promise<A> | A;

export interface ContractCases<A> {
  /** Register one case; titles are unique within a suite and are what `skip` names. */
  it(title: string, body: (adapter: A) => void | Promise<void>): void;
  /** Group cases under a heading (titles stay unique across the whole suite). */
  group(heading: string, register: () => void): void;
}

export function defineContract<A>(
  port: string,
  name: string,
  factory: Factory<A>,
  options: ContractOptions<A> | undefined,
  register: (cases: ContractCases<A>) => void,
): void {
  describe(`${port} contract: ${name}`, () => {
    const skip = options?.skip ?? {};
    const pending = options?.pending;
    if (pending !== undefined) console.warn(`[contract] ${port} (${name}): every case SKIPPED — ${pending}`);
    const titles = new Set<string>();
    const cases: ContractCases<A> = {
      it(title, body) {
        if (titles.has(title)) throw new Error(`${port} contract: two cases titled "${title}"`);
        titles.add(title);
        if (pending !== undefined) {
          it(title, (ctx) => ctx.skip(`pending: ${pending}`));
          return;
        }
        const reason = skip[title];
        if (reason !== undefined) {
          console.warn(`[contract] ${port} (${name}) › ${title}: SKIPPED — ${reason}`);
          it(title, (ctx) => ctx.skip(`skipped: ${reason}`));
          return;
        }
        it(title, async () => {
          const adapter = await factory();
          try {
            await body(adapter);
          } finally {
            await options?.teardown?.(adapter);
          }
        });
      },
      group(heading, registerGroup) {
        describe(heading, registerGroup);
      },
    };
    register(cases);
    // Checked when it runs: vitest collects nested describe blocks after this callback returns.
    it('every skip names a case of this suite and gives a reason', () => {
      const unknown = Object.keys(skip).filter((title) => !titles.has(title));
      const withoutReason = Object.entries(skip)
        .filter(([, reason]) => reason.trim() === '')
        .map(([title]) => title);
      expect(titles.size).toBeGreaterThan(0);
      expect({ unknown, withoutReason }).toEqual({ unknown: [], withoutReason: [] });
      expect(pending?.trim(), 'a pending suite gives its reason').not.toBe('');
    });
  });
}

/** `sha256:` + hex of the UTF-8 bytes of `text`, computed here, independently of src/. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Byte length of a string as UTF-8. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The factory of a pending suite (see `ContractOptions.pending`): never called, it says so if it is. */
export function noAdapter<A>(port: string): Factory<A> {
  return () => {
    throw new Error(`${port}: there is no adapter to make: the suite is pending`);
  };
}
