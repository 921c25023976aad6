import { z } from 'zod';
import { scoreInBatches } from './batching';
import { displayUrl, postJson, type HttpCallOptions } from './http-call';
import type { ModelAdapterPlugin } from './plugin';
import type { ModelAdapter, ModelRequest } from './protocol';
import { checkResponses } from './validate';

export interface HttpModelAdapterOptions {
  /** the scoring URL; `{version}` is replaced by the model version */
  url: string;
  batchSize?: number;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  headers?: Record<string, string>;
  onProgress?: (done: number, total: number) => void;
  /** injected for tests */
  sleep?: (ms: number) => Promise<void>;
}

/** resolveVersionUrl fills `{version}` in a URL template. */
export function resolveVersionUrl(template: string, version: string): string {
  return template.split('{version}').join(encodeURIComponent(version));
}

/** callOptions: the shared HTTP defaults of the model adapters. */
export function callOptions(o: Omit<HttpModelAdapterOptions, 'url'>): HttpCallOptions {
  return { timeoutMs: o.timeoutMs ?? 10_000, retries: o.retries ?? 2, backoffMs: o.backoffMs ?? 200, headers: o.headers, sleep: o.sleep };
}

/**
 * createHttpModelAdapter speaks the design's generic model protocol: `POST <url>` with
 * `{model_version, requests}` answered by `{responses: [{request_id, scores}]}`, in batches of
 * `batchSize` (default 64) with at most `concurrency` (default 4) in flight.
 */
export function createHttpModelAdapter(opts: HttpModelAdapterOptions): ModelAdapter {
  const call = callOptions(opts);
  const batching = { batchSize: opts.batchSize ?? 64, concurrency: opts.concurrency ?? 4, onProgress: opts.onProgress };
  return {
    score(requests: ModelRequest[], version: string) {
      const url = resolveVersionUrl(opts.url, version);
      return scoreInBatches(requests, batching, async (batch) => {
        const answer = await postJson(url, { model_version: version, requests: batch }, call);
        const responses = (answer as { responses?: unknown } | null)?.responses;
        return checkResponses(`model endpoint ${displayUrl(url)}`, batch, responses);
      });
    },
  };
}

/** httpAdapterFields: the YAML fields every HTTP-based model adapter shares. */
export const httpAdapterFields = {
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL (may contain {version})' }),
  batch_size: z.number().int().positive().default(64),
  concurrency: z.number().int().positive().default(4),
  timeout_ms: z.number().int().positive().default(10_000),
  retries: z.number().int().min(0).default(2),
  headers: z.record(z.string(), z.string()).optional(),
};

/** httpAdapterOptions maps those shared YAML fields onto the adapters' options. */
export function httpAdapterOptions(c: z.infer<z.ZodObject<typeof httpAdapterFields>>): HttpModelAdapterOptions {
  return { url: c.url, batchSize: c.batch_size, concurrency: c.concurrency, timeoutMs: c.timeout_ms, retries: c.retries, headers: c.headers };
}

const schema = z.strictObject(httpAdapterFields);
export type HttpModelConfig = z.infer<typeof schema>;

export const httpModelAdapter: ModelAdapterPlugin<HttpModelConfig> = {
  kind: 'http',
  description: 'the generic HTTP model protocol: POST {model_version, requests} → {responses}',
  schema: schema as unknown as z.ZodType<HttpModelConfig>,
  create(c) {
    return createHttpModelAdapter(httpAdapterOptions(c));
  },
};
