/** bounded waits for `p`, but at most `ms` (a stop must not hang on a broker that does not answer). */
export function bounded(p: Promise<unknown> | undefined, ms: number): Promise<unknown> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise((resolve) => (t = setTimeout(resolve, ms)))]).finally(() => clearTimeout(t));
}

/** sleep waits `ms`, or less when `signal` aborts meanwhile (a backoff a stop cuts short). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
