// Waiting for something a test set in motion, bounded by a count of checks rather than by a
// deadline on the machine's speed: a busy machine only takes longer to say yes.
export async function until(ready: () => boolean, what: string, checks = 2400): Promise<void> {
  for (let i = 0; i < checks; i++) {
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
