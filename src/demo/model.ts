import type { Features } from '../events/contract';
import { ModelError } from '../errors';
import type { ModelRequest, ModelResponse } from '../model/protocol';
import { contextBias, sigmoid } from './catalog';
import { round } from './random';

/** DEMO_CANDIDATE_FEATURES: the features every demo candidate carries (what a feature-quality check sees). */
export const DEMO_CANDIDATE_FEATURES = [
  'item_popularity',
  'item_age_hours',
  'user_item_affinity',
  'item_emb_0',
  'item_emb_1',
  'item_emb_2',
  'item_emb_3',
  'user_emb_dot',
  'genre',
] as const;
/** DEMO_CONTEXT_FEATURES: the request context of every demo serving event. */
export const DEMO_CONTEXT_FEATURES = ['device', 'hour_of_day'] as const;
/** DEMO_MODEL_VERSIONS: v1 and v1.1 are healthy; v2 carries a sign bug on the affinity weight. */
export const DEMO_MODEL_VERSIONS = ['v1', 'v1.1', 'v2'] as const;

// Module-level aliases of globals: under jest's vm sandbox each global lookup is slow, and the model
// runs for every candidate of every request.
const { log1p, max } = Math;
const finite = Number.isFinite;

interface Weights {
  bias: number;
  affinity: number;
  embDot: number;
  popularity: number;
  /** extra logit for a brand-new item, fading to 0 at `exploreHours` */
  explore: number;
  exploreHours: number;
}

const WEIGHTS: Record<string, Weights> = {
  v1: { bias: -1.2, affinity: 3.0, embDot: 1.0, popularity: 0.6, explore: 1.5, exploreHours: 48 },
  'v1.1': { bias: -1.2, affinity: 3.2, embDot: 0.9, popularity: 0.55, explore: 1.6, exploreHours: 48 },
  // v2: the retrained model shipped with the affinity weight's sign flipped, so it recommends what
  // each user likes least; everything else looks plausible, which is what makes it hard to spot.
  v2: { bias: -1.2, affinity: -3.0, embDot: -1.0, popularity: 0.6, explore: 1.5, exploreHours: 48 },
};

/** num reads a numeric feature; null, missing or non-numeric counts as 0, as most serving stacks do. */
function num(f: Features, key: string): number {
  const v = f[key];
  return typeof v === 'number' && finite(v) ? v : 0;
}

/**
 * demoScore is the demo recommender's ranking model as a pure function of its inputs: replaying a
 * captured request gives exactly the logged scores, unless the logged scores did not come from these
 * inputs. Scores are in (0, 1); an item whose age is negative (not yet available) gets exactly 0, so
 * it can never be ranked above an available one.
 */
export function demoScore(requests: ModelRequest[], version: string): ModelResponse[] {
  const w = WEIGHTS[version];
  if (!w) {
    throw new ModelError(`demo model has no version "${version}"; versions: ${DEMO_MODEL_VERSIONS.join(', ')}`, { retriable: false });
  }
  return requests.map((req) => {
    const device = typeof req.context.device === 'string' ? req.context.device : '';
    const hour = num(req.context, 'hour_of_day');
    return { request_id: req.request_id, scores: req.candidates.map((c) => scoreOne(w, c.features, device, hour)) };
  });
}

function scoreOne(w: Weights, f: Features, device: string, hour: number): number {
  const age = num(f, 'item_age_hours');
  if (age < 0) return 0; // availability gate: never recommend what has not launched
  const pop = log1p(max(0, num(f, 'item_popularity'))) / log1p(20_000);
  const explore = age < w.exploreHours ? w.explore * (1 - age / w.exploreHours) : 0;
  const genre = typeof f.genre === 'string' ? f.genre : '';
  const logit =
    w.bias +
    w.affinity * num(f, 'user_item_affinity') +
    w.embDot * num(f, 'user_emb_dot') +
    w.popularity * pop +
    explore +
    contextBias(genre, device, hour);
  // keep a floor above 0 so only the availability gate produces exactly 0
  return max(1e-6, round(sigmoid(logit), 6));
}
