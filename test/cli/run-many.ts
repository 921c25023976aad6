import { runCli, type CliResult } from '../helpers/cli';

/**
 * runMany runs several independent `recsysops` invocations a few at a time and returns their
 * results by key: each run is a fresh Node process (~0.4 s of start-up), so running them side by side
 * keeps a file of many small CLI checks fast.
 */
export async function runMany<K extends string>(
  runs: Record<K, string[]>,
  opts: { cwd?: string; env?: Record<string, string | undefined>; concurrency?: number } = {},
): Promise<Record<K, CliResult>> {
  const keys = Object.keys(runs) as K[];
  const out = {} as Record<K, CliResult>;
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const k = keys[next++];
      out[k] = await runCli(runs[k], { cwd: opts.cwd, env: opts.env, timeoutMs: 30_000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, keys.length) }, worker));
  return out;
}
