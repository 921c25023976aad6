import type { ModelRequest, ModelResponse } from './protocol';

export interface BatchOptions {
  batchSize: number;
  /** batches in flight at once */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * scoreInBatches splits requests into batches and scores at most `concurrency` of them at a time,
 * so replaying thousands of captured requests neither sends one huge body nor floods the model.
 * Results keep the request order. The first failure stops new batches from starting and is thrown.
 */
export async function scoreInBatches(
  requests: ModelRequest[],
  opts: BatchOptions,
  scoreBatch: (batch: ModelRequest[]) => Promise<ModelResponse[]>,
): Promise<ModelResponse[]> {
  const size = Math.max(1, Math.floor(opts.batchSize));
  const batches: ModelRequest[][] = [];
  for (let i = 0; i < requests.length; i += size) batches.push(requests.slice(i, i + size));
  const results: ModelResponse[][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < batches.length) {
      const i = next++;
      try {
        results[i] = await scoreBatch(batches[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
      done += batches[i].length;
      opts.onProgress?.(done, requests.length);
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, opts.concurrency), batches.length) }, worker);
  await Promise.all(workers);
  return results.flat();
}
