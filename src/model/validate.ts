import { ModelError } from '../errors';
import type { ModelRequest, ModelResponse } from './protocol';

/**
 * checkResponses verifies a model's answer against the requests it was given — one response per
 * request id, one finite score per candidate — and returns the responses in request order. A model
 * that answers the wrong shape will answer it again, so the error is not retriable.
 */
export function checkResponses(where: string, requests: ModelRequest[], answer: unknown): ModelResponse[] {
  const invalid = (detail: string) => new ModelError(`${where} answered an invalid response: ${detail}`, { retriable: false });
  if (!Array.isArray(answer)) throw invalid('expected an array of responses');
  const byId = new Map<string, ModelResponse>();
  for (const [i, r] of answer.entries()) {
    const resp = r as { request_id?: unknown; scores?: unknown };
    if (!resp || typeof resp.request_id !== 'string') throw invalid(`responses[${i}] has no request_id`);
    if (byId.has(resp.request_id)) throw invalid(`request_id "${resp.request_id}" answered twice`);
    if (!Array.isArray(resp.scores) || !resp.scores.every((s) => typeof s === 'number' && Number.isFinite(s))) {
      throw invalid(`scores of "${resp.request_id}" must be an array of finite numbers`);
    }
    byId.set(resp.request_id, { request_id: resp.request_id, scores: resp.scores as number[] });
  }
  const out = requests.map((req) => {
    const resp = byId.get(req.request_id);
    if (!resp) throw invalid(`no response for request_id "${req.request_id}"`);
    if (resp.scores.length !== req.candidates.length) {
      throw invalid(`"${req.request_id}" has ${resp.scores.length} scores for ${req.candidates.length} candidates`);
    }
    return resp;
  });
  if (byId.size !== requests.length) {
    const asked = new Set(requests.map((r) => r.request_id));
    const extra = [...byId.keys()].find((id) => !asked.has(id));
    throw invalid(`unexpected request_id "${extra}"`);
  }
  return out;
}
