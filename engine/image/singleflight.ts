// Do a keyed piece of work once while it is in flight: concurrent callers with the same key share
// one promise (two pulls of one image, two writers of one blob, two unpacks of one chain id).
// Once the work settles the key is free again, so a later call starts afresh — a failure is not
// cached.
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** True when this call joined work already under way (for progress: "Waiting"). */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const started = (async () => {
      try {
        return await work();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, started);
    return started;
  }
}

/** Run `work` over `items` with at most `limit` at once; the first failure rejects. */
export async function mapLimit<I, O>(
  items: readonly I[],
  limit: number,
  work: (item: I, index: number) => Promise<O>,
): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        out[index] = await work(items[index] as I, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane);
  const settled = await Promise.allSettled(lanes);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return out;
}
