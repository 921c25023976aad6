import { RecsysopsError } from '../errors';

/** RetryOptions: the backoff curve plus the hooks tests and the pipeline inject. */
export interface RetryOptions {
  /** retries after the first attempt; Infinity retries until success or a non-retriable error */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** growth of the delay cap per attempt, usually 2 */
  factor: number;
  /** return true to stop retrying a retriable error (e.g. the daemon is shutting down) */
  bail?: (err: RecsysopsError, attempt: number) => boolean;
  /** waits between attempts; a rejection ends retry() with that rejection */
  sleep?: (ms: number) => Promise<void>;
  /** [0,1) source of jitter */
  random?: () => number;
  /** called before each wait with the error that caused it, the attempt that failed (0-based) and the delay */
  onRetry?: (err: RecsysopsError, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * backoffDelay is full jitter above a floor: uniform in [minDelayMs, cap] with
 * cap = min(maxDelayMs, minDelayMs·factor^attempt). Jitter keeps many notifiers that failed
 * together from retrying together; the floor keeps an outage from becoming a busy loop.
 */
export function backoffDelay(attempt: number, opts: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs' | 'factor'>, random: () => number = Math.random): number {
  const cap = Math.min(opts.maxDelayMs, opts.minDelayMs * Math.pow(opts.factor, Math.min(attempt, 64)));
  const lo = Math.min(opts.minDelayMs, cap);
  return Math.round(lo + random() * (cap - lo));
}

/**
 * retry runs fn until it resolves. Only a RecsysopsError with retriable=true is retried: anything
 * else (a TypeError, a 4xx) is a fault that the same call will hit again, so it is rethrown at once.
 * When the retries run out, the last error is rethrown as it is.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof RecsysopsError) || !err.retriable) throw err;
      if (attempt >= opts.retries || opts.bail?.(err, attempt)) throw err;
      const delay = backoffDelay(attempt, opts, opts.random);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
