import type { Candidate, EngagementEvent, ImpressionEvent, RecEvent, ServingEvent } from '../events/contract';
import type { ModelRequest } from '../model/protocol';
import { DEVICES, type Catalog, type DemoItem } from './catalog';
import { candidateFeatures } from './features';
import { faultSize, type ActiveFault, type FaultTimeline } from './faults';
import type { Launches } from './launches';
import { demoScore } from './model';
import { gaussian, hashInts, pickWeighted, rngFor, round, type Rng } from './random';

export const SURFACES = ['home', 'row-trending', 'search'] as const;
const SURFACE_WEIGHTS = [0.6, 0.25, 0.15];
/** how much more or less likely a user engages on each surface (search has intent) */
const SURFACE_FACTOR: Record<string, number> = { home: 1, 'row-trending': 0.8, search: 1.3 };
const TAG_CACHE = 31;
const TAG_SHARE = 32;
/** reserved candidate slots for fresh items: how new items get a chance at all */
const FRESH_SLOTS = 2;
/** no event of a request lands later than this after the request (latency cap + engagement delay cap) */
export const MAX_EVENT_LAG_MS = 180_000;
const LATENCY_CAP_MS = 5_000;
/** share of 'home' impressions lost during a full-size volume-drop */
const VOLUME_DROP_LOSS = 0.85;
/** latency multiplier added by a full-size latency-spike (×6 in all) */
const LATENCY_SPIKE_EXTRA = 5;

/** ServeContext: the parts of the world one request needs. */
export interface ServeContext {
  seed: number;
  catalog: Catalog;
  launches: Launches;
  timeline: FaultTimeline;
  modelVersion: string;
  slateSize: number;
  candidatesPerRequest: number;
}

/**
 * serveRequest simulates one recommendation request at `ts`: candidate generation, the model,
 * the slate shown, and the user's reaction. It draws from `rng` in a fixed order whatever faults are
 * active, so a fault changes only what it is meant to change.
 */
export function serveRequest(ctx: ServeContext, requestId: string, ts: number, rng: Rng): RecEvent[] {
  const { catalog, timeline } = ctx;
  const user = catalog.users[Math.floor(rng() * catalog.users.length)];
  const surface = SURFACES[pickWeighted(rng, SURFACE_WEIGHTS)];
  const deviceDraw = rng();
  const device = deviceDraw < 0.8 ? user.device : DEVICES[Math.floor(((deviceDraw - 0.8) / 0.2) * DEVICES.length)];
  const hour = new Date(ts).getUTCHours();
  const items = pickCandidates(ctx, ts, rng);

  // A fault of size < 1 hits a share of requests, chosen by a hash of the request id rather than a
  // draw from `rng`, so sized faults leave every other draw of the request unchanged.
  const hits = (f: ActiveFault | undefined): boolean => f !== undefined && (faultSize(f) >= 1 || requestShare(ctx.seed, requestId) < faultSize(f));
  const featureBug = hits(timeline.isActive('feature-bug', ts));
  const version = hits(timeline.isActive('bad-model', ts)) ? 'v2' : ctx.modelVersion;
  const context = { device, hour_of_day: hour };
  const candidates: Candidate[] = items.map((item) => ({ item_id: item.id, features: candidateFeatures(catalog, user, item, ts, featureBug) }));
  const request: ModelRequest = { request_id: requestId, user_id: user.id, context, candidates };

  // stale-cache: the cache key forgot the user, so every request gets the scores computed for the
  // request that filled the cache (another user), laid over this request's candidates.
  const staleFault = timeline.isActive('stale-cache', ts);
  const stale = hits(staleFault) ? staleFault : undefined;
  let scoredRequest = request;
  if (stale) {
    let cacheUser = catalog.users[hashInts(ctx.seed, TAG_CACHE, stale.cycle) % catalog.users.length];
    if (cacheUser === user) cacheUser = catalog.users[(user.index + 1) % catalog.users.length];
    scoredRequest = { ...request, candidates: items.map((item) => ({ item_id: item.id, features: candidateFeatures(catalog, cacheUser, item, ts, featureBug) })) };
  }
  const scores = demoScore([scoredRequest], version)[0].scores;

  const spikeFault = timeline.isActive('latency-spike', ts);
  const spike = spikeFault ? 1 + LATENCY_SPIKE_EXTRA * faultSize(spikeFault) : 1;
  const latency = round(Math.min(LATENCY_CAP_MS, Math.exp(Math.log(40) + 0.35 * gaussian(rng)) * spike), 1);
  const serving: ServingEvent = {
    type: 'serving', ts, request_id: requestId, user_id: user.id, model_version: version, context, candidates, scores, latency_ms: latency, surface,
  };
  const out: RecEvent[] = [serving];

  const slate = scores
    .map((_s, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, ctx.slateSize);
  const shownAt = ts + Math.ceil(latency);
  const dropFault = surface === 'home' ? timeline.isActive('volume-drop', ts) : undefined;
  const keep = dropFault ? 1 - VOLUME_DROP_LOSS * faultSize(dropFault) : 1;
  const engagements: EngagementEvent[] = [];
  slate.forEach((ci, position) => {
    const item = items[ci];
    const keepDraw = rng();
    const engageDraw = rng();
    const actionDraw = rng();
    const delayDraw = gaussian(rng);
    const watchDraw = gaussian(rng);
    if (keep >= 1 || keepDraw < keep) {
      const imp: ImpressionEvent = {
        type: 'impression', ts: shownAt, request_id: requestId, user_id: user.id, item_id: item.id, position, score: scores[ci], model_version: version, surface,
      };
      out.push(imp);
    }
    const p = Math.min(0.95, catalog.relevance(user, item, device, hour) * positionBias(position) * SURFACE_FACTOR[surface]);
    if (engageDraw < p) {
      const play = actionDraw < 0.65;
      const delay = Math.min(MAX_EVENT_LAG_MS - LATENCY_CAP_MS, Math.round(3_000 + Math.exp(Math.log(20_000) + 0.8 * delayDraw)));
      engagements.push({
        type: 'engagement', ts: shownAt + delay, user_id: user.id, item_id: item.id, action: play ? 'play' : 'click', request_id: requestId,
        ...(play ? { value: round(Math.exp(Math.log(25) + 0.7 * watchDraw), 1) } : {}),
      });
    }
  });
  return out.concat(engagements.sort((a, b) => a.ts - b.ts));
}

/** requestShare: a uniform [0, 1) number fixed by the request id, for faults that hit a share of requests. */
export function requestShare(seed: number, requestId: string): number {
  const codes: number[] = [];
  for (let i = 0; i < requestId.length; i++) codes.push(requestId.charCodeAt(i));
  return rngFor(seed, TAG_SHARE, ...codes)();
}

/** positionBias: users look at the top of a slate far more than at its end. */
export function positionBias(position: number): number {
  return 1 / Math.pow(1 + position, 0.7);
}

/**
 * pickCandidates: a few reserved slots for fresh items (exploration), the rest uniformly from
 * everything launched so far, in random order.
 */
function pickCandidates(ctx: ServeContext, ts: number, rng: Rng): DemoItem[] {
  const { catalog, launches } = ctx;
  const chosen: DemoItem[] = [];
  const ids = new Set<string>();
  const fresh = launches.freshAt(ts);
  for (let s = 0; s < FRESH_SLOTS; s++) {
    const draw = rng();
    const item = fresh.length ? fresh[Math.floor(draw * fresh.length)] : undefined;
    if (item && !ids.has(item.id)) {
      chosen.push(item);
      ids.add(item.id);
    }
  }
  const pool = catalog.items.length + launches.launchedCount(ts);
  const want = Math.min(ctx.candidatesPerRequest, pool + chosen.length);
  for (let guard = 0; chosen.length < want && guard < want * 20; guard++) {
    const i = Math.floor(rng() * pool);
    const item = i < catalog.items.length ? catalog.items[i] : launches.item(i - catalog.items.length);
    if (ids.has(item.id)) continue;
    chosen.push(item);
    ids.add(item.id);
  }
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }
  return chosen;
}
