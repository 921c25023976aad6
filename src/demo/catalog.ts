import { gaussian, hashInts, mulberry32, rngFor, round, type Rng } from './random';

/**
 * The demo world's users and items. Each has a hidden latent taste vector; how much a user truly
 * likes an item (its relevance) comes from those vectors. The model only sees noisy features derived
 * from them, which is what lets a broken feature or a broken model visibly lower engagement.
 */
export const GENRES = ['drama', 'comedy', 'action', 'documentary', 'kids', 'thriller', 'romance', 'scifi'] as const;
export type Genre = (typeof GENRES)[number];
export const DEVICES = ['mobile', 'tv', 'web'] as const;
export type Device = (typeof DEVICES)[number];

// a module alias: global lookups are slow under jest's vm sandbox, and sigmoid runs per candidate
const { exp } = Math;

export const LATENT_DIM = 8;
const LOG_POP_MAX = Math.log1p(20_000);
/** how many leading latent dimensions are published as `item_emb_0..3` */
export const EMB_DIM = 4;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Tags keep the hash streams of different kinds of draws apart.
const TAG_USER = 11;
const TAG_ITEM = 12;
const TAG_NEW_ITEM = 13;
const TAG_NOISE = 14;
const TAG_CENTROID = 15;

export interface DemoUser {
  index: number;
  id: string;
  vec: number[];
  genre: Genre;
  device: Device;
}

export type ItemOrigin = 'catalog' | 'new' | 'starved';

export interface DemoItem {
  id: string;
  /** hash of the id, to seed per-item draws */
  key: number;
  vec: number[];
  genre: Genre;
  /** views per day once the item is established */
  basePopularity: number;
  launchTs: number;
  origin: ItemOrigin;
}

/**
 * contextBias is how much a genre suits a device and an hour of the day. Both the true relevance and
 * the model use it: the model has learned it correctly, so it never explains a degradation.
 */
export function contextBias(genre: string, device: string, hour: number): number {
  let b = 0;
  if (device === 'tv' && (genre === 'documentary' || genre === 'scifi' || genre === 'drama')) b += 0.25;
  if (device === 'mobile' && (genre === 'comedy' || genre === 'action')) b += 0.2;
  if (genre === 'kids') b += hour >= 7 && hour < 19 ? 0.3 : -0.4;
  if (genre === 'thriller' && (hour >= 21 || hour < 2)) b += 0.25;
  return b;
}

/** Catalog builds users and the launch catalogue once from the seed; later items are built on demand. */
export class Catalog {
  readonly users: DemoUser[];
  readonly items: DemoItem[];
  private readonly centroids: number[][];
  private readonly launched = new Map<string, DemoItem>();

  constructor(
    private readonly seed: number,
    startTime: number,
    usersCount: number,
    itemsCount: number,
  ) {
    const c = rngFor(seed, TAG_CENTROID);
    this.centroids = GENRES.map(() => unit(Array.from({ length: LATENT_DIM }, () => gaussian(c))));
    this.users = Array.from({ length: usersCount }, (_, i) => {
      const r = rngFor(seed, TAG_USER, i);
      const genre = GENRES[Math.floor(r() * GENRES.length)];
      const device = DEVICES[Math.floor(r() * DEVICES.length)];
      return { index: i, id: `user-${i}`, vec: this.tasteNear(genre, r, 0.9), genre, device };
    });
    this.items = Array.from({ length: itemsCount }, (_, i) => {
      const r = rngFor(seed, TAG_ITEM, i);
      // launched 10 days to 2 years ago: old enough that no cold-start check still tracks it
      const launchTs = Math.round(startTime - 10 * DAY - r() * 720 * DAY);
      return this.makeItem(`item-${i}`, r, launchTs, 'catalog');
    });
  }

  /** launchedItem is an item launched after the start (memoised; a pure function of seed and id). */
  launchedItem(id: string, launchTs: number, origin: 'new' | 'starved'): DemoItem {
    let item = this.launched.get(id);
    if (!item) {
      item = this.makeItem(id, rngFor(this.seed, TAG_NEW_ITEM, idHash(id)), launchTs, origin);
      this.launched.set(id, item);
    }
    return item;
  }

  /** dot is the hidden affinity of a user for an item, in [-1, 1]. */
  dot(user: DemoUser, item: DemoItem, dims = LATENT_DIM): number {
    let s = 0;
    for (let d = 0; d < dims; d++) s += user.vec[d] * item.vec[d];
    return s;
  }

  /** noise is the fixed estimation error of the affinity feature for one user and item. */
  noise(user: DemoUser, item: DemoItem): number {
    const h = hashInts(this.seed, TAG_NOISE, user.index, item.key);
    return 0.12 * gaussian(mulberry32(h));
  }

  /**
   * relevance is the probability that the user engages with the item when it is shown at the top of
   * the page: the ground truth the model tries to rank by.
   */
  relevance(user: DemoUser, item: DemoItem, device: string, hour: number): number {
    const pop = Math.log1p(item.basePopularity) / LOG_POP_MAX;
    return sigmoid(-3.3 + 4.5 * this.dot(user, item) + 0.6 * pop + contextBias(item.genre, device, hour));
  }

  private tasteNear(genre: Genre, r: Rng, spread: number): number[] {
    const c = this.centroids[GENRES.indexOf(genre)];
    return unit(c.map((x) => x + spread * gaussian(r) / Math.sqrt(LATENT_DIM) * 2));
  }

  private makeItem(id: string, r: Rng, launchTs: number, origin: ItemOrigin): DemoItem {
    const genre = GENRES[Math.floor(r() * GENRES.length)];
    // log-normal popularity: a few blockbusters, a long tail
    const basePopularity = Math.max(1, Math.round(Math.exp(5 + 1.4 * gaussian(r))));
    return { id, key: idHash(id), vec: this.tasteNear(genre, r, 1.0).map((x) => round(x, 4)), genre, basePopularity, launchTs, origin };
  }
}

/** idHash turns an id into an integer for hashInts. */
function idHash(id: string): number {
  const codes: number[] = [];
  for (let i = 0; i < id.length; i++) codes.push(id.charCodeAt(i));
  return hashInts(...codes);
}

export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}
