import type { Features, FeatureValue, ServingEvent } from '../events/contract';
import type { ModelAdapter, ModelRequest } from '../model/protocol';

/**
 * itemFeatures reads the model features of an item from its `item` event: `attributes.features`,
 * an object of feature values (the contract extension docs/cold-start.md describes). Undefined when
 * absent or not an object of feature values: the item cannot be forecast.
 */
export function itemFeatures(attributes: Record<string, unknown> | undefined): Features | undefined {
  const f = attributes?.features;
  if (f === null || typeof f !== 'object' || Array.isArray(f)) return undefined;
  for (const v of Object.values(f)) if (!isFeatureValue(v)) return undefined;
  return f as Features;
}

function isFeatureValue(v: unknown): v is FeatureValue {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

/**
 * predictedRanks scores a new item among the candidates of each sampled serving request, with the
 * model version that served the request, and returns its 1-based rank in each (ties rank it after
 * the candidates it ties with, as the pessimistic reading). The request's own candidates are scored
 * again with it, so a model that scores a slate jointly sees a real slate.
 */
export async function predictedRanks(model: ModelAdapter, sample: readonly ServingEvent[], itemId: string, features: Features): Promise<Array<{ rank: number; of: number }>> {
  const byVersion = new Map<string, ModelRequest[]>();
  for (const s of sample) {
    const candidates = s.candidates.filter((c) => c.item_id !== itemId);
    candidates.push({ item_id: itemId, features });
    const list = byVersion.get(s.model_version) ?? [];
    list.push({ request_id: s.request_id, user_id: s.user_id, context: s.context, candidates });
    byVersion.set(s.model_version, list);
  }
  const out: Array<{ rank: number; of: number }> = [];
  for (const [version, requests] of byVersion) {
    const responses = await model.score(requests, version);
    responses.forEach((r, i) => {
      const mine = r.scores[r.scores.length - 1];
      let above = 0;
      for (let j = 0; j < r.scores.length - 1; j++) if (r.scores[j] >= mine) above++;
      out.push({ rank: above + 1, of: requests[i].candidates.length });
    });
  }
  return out;
}

/** SlateSize learns how many items a slate shows from impression positions (their 99th percentile + 1). */
export class SlateSize {
  private readonly counts = new Map<number, number>();
  private total = 0;

  see(position: number): void {
    // positions beyond 10 000 are not a slate; ignoring them bounds the map
    if (position > 10_000) return;
    this.counts.set(position, (this.counts.get(position) ?? 0) + 1);
    this.total++;
  }

  /** learned: the slate size, or undefined before any impression */
  learned(): number | undefined {
    if (!this.total) return undefined;
    const positions = [...this.counts.keys()].sort((a, b) => a - b);
    let acc = 0;
    for (const p of positions) {
      acc += this.counts.get(p)!;
      if (acc >= 0.99 * this.total) return p + 1;
    }
    return positions[positions.length - 1] + 1;
  }
}
