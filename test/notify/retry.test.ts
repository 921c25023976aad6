import { NotifyError, RecsysopsError } from '../../src/errors';
import { backoffDelay, retry } from '../../src/notify/retry';

const transient = () => new NotifyError('n', 'server_error', 'HTTP 503', { retriable: true });
const opts = (delays: number[]) => ({ retries: 5, minDelayMs: 10, maxDelayMs: 100, factor: 2, sleep: async (ms: number) => void delays.push(ms) });

describe('retry', () => {
  test('retries retriable errors until fn succeeds, waiting with growing, bounded delays', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retry(async () => {
      if (++calls < 4) throw transient();
      return 'ok';
    }, opts(delays));
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(10);
      expect(d).toBeLessThanOrEqual(Math.min(100, 10 * 2 ** i));
    });
  });

  test.each([
    ['a programmer error', new TypeError('x is undefined')],
    ['a non-retriable error', new NotifyError('n', 'client_error', 'HTTP 400', { retriable: false })],
    ['a plain string', 'boom'],
  ])('never retries %s', async (_what, thrown) => {
    let calls = 0;
    const delays: number[] = [];
    await expect(
      retry(async () => {
        calls++;
        throw thrown;
      }, opts(delays)),
    ).rejects.toBe(thrown);
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  test('gives up after `retries` retries with the last error', async () => {
    const errs: RecsysopsError[] = [];
    const caught = await retry(async () => {
      const e = transient();
      errs.push(e);
      throw e;
    }, { ...opts([]), retries: 2 }).catch((e: unknown) => e);
    expect(errs).toHaveLength(3);
    expect(caught).toBe(errs[2]);
  });

  test('bail stops retrying; onRetry sees each failure and its delay', async () => {
    const seen: Array<[number, number]> = [];
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw transient();
      }, { ...opts([]), retries: Infinity, bail: (_e, attempt) => attempt >= 2, onRetry: (_e, attempt, delay) => seen.push([attempt, delay]) }),
    ).rejects.toBeInstanceOf(NotifyError);
    expect(calls).toBe(3);
    expect(seen.map(([a]) => a)).toEqual([0, 1]);
  });

  test('a rejecting sleep ends retry with that rejection', async () => {
    const stop = new Error('closed');
    await expect(retry(async () => { throw transient(); }, { ...opts([]), sleep: async () => { throw stop; } })).rejects.toBe(stop);
  });
});

describe('backoffDelay', () => {
  const o = { minDelayMs: 100, maxDelayMs: 1000, factor: 2 };
  test('is full jitter between the floor and a cap that doubles up to the maximum', () => {
    expect(backoffDelay(0, o, () => 0)).toBe(100);
    expect(backoffDelay(0, o, () => 0.999999)).toBe(100);
    expect(backoffDelay(2, o, () => 0.999999)).toBe(400);
    expect(backoffDelay(2, o, () => 0.5)).toBe(250);
    expect(backoffDelay(10, o, () => 0.999999)).toBe(1000);
    expect(backoffDelay(5000, o, () => 0.999999)).toBe(1000);
    expect(backoffDelay(3, { minDelayMs: 0, maxDelayMs: 50, factor: 2 }, () => 0.5)).toBe(0);
  });
});
