import { z } from 'zod';
import { ModelError } from '../errors';
import { scoreInBatches } from './batching';
import { callOptions, httpAdapterFields, httpAdapterOptions, resolveVersionUrl, type HttpModelAdapterOptions } from './http';
import { displayUrl, postJson } from './http-call';
import type { ModelAdapterPlugin } from './plugin';
import type { ModelAdapter, ModelRequest, ModelResponse } from './protocol';
import { checkResponses } from './validate';

export interface KserveV2AdapterOptions extends HttpModelAdapterOptions {
  /** the model name in `/v2/models/{name}/…` */
  model: string;
}

/**
 * kserveInferUrl: `url` is either the server's base URL (the standard
 * `/v2/models/{model}/versions/{version}/infer` path is appended) or a full infer URL that may
 * contain `{version}`.
 */
export function kserveInferUrl(url: string, model: string, version: string): string {
  if (url.includes('{version}') || /\/infer\/?$/.test(url)) return resolveVersionUrl(url, version);
  return `${url.replace(/\/+$/, '')}/v2/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/infer`;
}

/**
 * createKserveV2ModelAdapter scores through the Open Inference Protocol v2 (KServe, Triton, Seldon
 * MLServer). Requests are ragged, so each travels as a JSON string in one BYTES input `requests` of
 * shape [n]; the answer holds `scores` (FP64 or FP32) of shape [total candidates], request after
 * request, and optionally `request_ids` (BYTES, [n]) which is then checked. See
 * src/demo/model-server.ts for the server side of this mapping.
 */
export function createKserveV2ModelAdapter(opts: KserveV2AdapterOptions): ModelAdapter {
  const call = callOptions(opts);
  const batching = { batchSize: opts.batchSize ?? 64, concurrency: opts.concurrency ?? 4, onProgress: opts.onProgress };
  let seq = 0;
  return {
    score(requests: ModelRequest[], version: string) {
      const url = kserveInferUrl(opts.url, opts.model, version);
      const where = `model endpoint ${displayUrl(url)}`;
      return scoreInBatches(requests, batching, async (batch) => {
        const body = {
          id: `recsysops-${++seq}`,
          parameters: { model_version: version },
          inputs: [{ name: 'requests', datatype: 'BYTES', shape: [batch.length], data: batch.map((r) => JSON.stringify(r)) }],
        };
        const answer = await postJson(url, body, call);
        return checkResponses(where, batch, fromV2(where, batch, answer));
      });
    },
  };
}

interface Tensor {
  name?: unknown;
  datatype?: unknown;
  shape?: unknown;
  data?: unknown;
}

/** fromV2 splits the flat `scores` output back into one response per request. */
function fromV2(where: string, batch: ModelRequest[], answer: unknown): ModelResponse[] {
  const invalid = (detail: string) => new ModelError(`${where} answered an invalid response: ${detail}`, { retriable: false });
  const outputs = (answer as { outputs?: unknown } | null)?.outputs;
  if (!Array.isArray(outputs)) throw invalid('no "outputs" array (is this an Open Inference Protocol v2 endpoint?)');
  const find = (name: string) => outputs.find((o) => (o as Tensor)?.name === name) as Tensor | undefined;
  const scores = find('scores');
  if (!scores) throw invalid('no output named "scores"');
  if (scores.datatype !== 'FP64' && scores.datatype !== 'FP32') throw invalid(`output "scores" has datatype ${String(scores.datatype)}, expected FP64 or FP32`);
  const data = Array.isArray(scores.data) ? (scores.data.flat(Infinity) as unknown[]) : undefined;
  const total = batch.reduce((n, r) => n + r.candidates.length, 0);
  if (!data || data.length !== total) throw invalid(`output "scores" has ${data?.length ?? 0} values for ${total} candidates`);
  const ids = find('request_ids');
  const idData = Array.isArray(ids?.data) ? (ids.data as unknown[]) : undefined;
  let offset = 0;
  return batch.map((req, i) => {
    const slice = data.slice(offset, offset + req.candidates.length) as number[];
    offset += req.candidates.length;
    return { request_id: idData ? (idData[i] as string) : req.request_id, scores: slice };
  });
}

const schema = z.strictObject({
  ...httpAdapterFields,
  /** the model name in `/v2/models/{model}/…` */
  model: z.string().min(1),
});
export type KserveV2Config = z.infer<typeof schema>;

export const kserveV2ModelAdapter: ModelAdapterPlugin<KserveV2Config> = {
  kind: 'kserve-v2',
  description: 'KServe / Open Inference Protocol v2: requests as a BYTES input of JSON strings',
  schema: schema as unknown as z.ZodType<KserveV2Config>,
  create(c) {
    return createKserveV2ModelAdapter({ ...httpAdapterOptions(c), model: c.model });
  },
};
