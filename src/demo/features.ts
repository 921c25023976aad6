import type { Features } from '../events/contract';
import type { Catalog, DemoItem, DemoUser } from './catalog';
import { EMB_DIM } from './catalog';
import { round } from './random';

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;
/** a new item's popularity grows to its base level over its first three days */
const RAMP_MS = 72 * HOUR;

/**
 * candidateFeatures is the demo's feature pipeline: what the serving stack feeds the model for one
 * (user, item) at time t. `featureBug` imitates a broken upstream job: the affinity feature is null
 * and the embeddings (and the dot product computed from them) are 0.
 *
 * A starved item's launch date reached the feature store a year late (a date-format bug), so its
 * `item_age_hours` is negative and the model's availability gate scores it 0: it is a candidate but
 * never makes a slate.
 */
export function candidateFeatures(catalog: Catalog, user: DemoUser, item: DemoItem, t: number, featureBug: boolean): Features {
  const launch = item.origin === 'starved' ? item.launchTs + YEAR : item.launchTs;
  const age = t - launch;
  const popularity =
    item.origin === 'catalog' ? item.basePopularity : item.origin === 'starved' ? 0 : Math.round(item.basePopularity * Math.min(1, age / RAMP_MS));
  // one object literal with a fixed key order: fast to build and stable in the logged JSON
  const v = item.vec;
  const f: Features = {
    item_popularity: popularity,
    item_age_hours: round(age / HOUR, 2),
    user_item_affinity: featureBug ? null : round(catalog.dot(user, item) + catalog.noise(user, item), 4),
    item_emb_0: featureBug ? 0 : v[0],
    item_emb_1: featureBug ? 0 : v[1],
    item_emb_2: featureBug ? 0 : v[2],
    item_emb_3: featureBug ? 0 : v[3],
    user_emb_dot: featureBug ? 0 : round(catalog.dot(user, item, EMB_DIM), 4),
    genre: item.genre,
  };
  return f;
}

/**
 * itemFeaturesAtLaunch: the item-level features the feature store will serve for an item at its
 * launch (no user-item features: those need a user). The demo's item events carry them as
 * `attributes.features`, which is what `launch-forecast` scores before the launch. A starved
 * item's broken age is already there: the bug is in the feature store, not in serving.
 */
export function itemFeaturesAtLaunch(item: DemoItem): Features {
  const launch = item.origin === 'starved' ? item.launchTs + YEAR : item.launchTs;
  const v = item.vec;
  return {
    item_popularity: item.origin === 'catalog' ? item.basePopularity : 0,
    item_age_hours: round((item.launchTs - launch) / HOUR, 2),
    item_emb_0: v[0],
    item_emb_1: v[1],
    item_emb_2: v[2],
    item_emb_3: v[3],
    genre: item.genre,
  };
}
