import type { Features } from '../events/contract';
import type { ModelRequest } from '../model/protocol';

/** FeatureUnit: one feature, or a group of features sharing a prefix (`item_emb_*` for item_emb_0…). */
export interface FeatureUnit {
  name: string;
  features: string[];
}

/**
 * featureUnits groups numbered features by their prefix (`item_emb_0`, `item_emb_1` → `item_emb_*`,
 * `context.slot_2` → `context.slot_*`): an embedding breaks as a whole, so it is swapped as a whole.
 */
export function featureUnits(names: string[]): FeatureUnit[] {
  const groups = new Map<string, string[]>();
  for (const n of [...names].sort()) {
    const m = /^(.*?_)\d+$/.exec(n);
    const key = m ? `${m[1]}*` : n;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups].map(([name, features]) => (features.length === 1 ? { name: features[0], features } : { name, features }));
}

/**
 * swapFeatures returns the failing requests with the given features taken from reference requests:
 * failing request i borrows from reference request i mod R, candidate k from that request's
 * candidate k mod its length, so a group's values travel together. Features missing in the donor
 * are removed. Pure: the inputs are not modified.
 */
export function swapFeatures(failing: ModelRequest[], reference: ModelRequest[], features: string[]): ModelRequest[] {
  if (!reference.length || !features.length) return failing;
  const ctx = features.filter((f) => f.startsWith('context.')).map((f) => f.slice(8));
  const cand = features.filter((f) => !f.startsWith('context.'));
  const copy = (into: Features, from: Features, keys: string[]) => {
    const out = { ...into };
    for (const k of keys) {
      if (k in from) out[k] = from[k];
      else delete out[k];
    }
    return out;
  };
  return failing.map((req, i) => {
    const donor = reference[i % reference.length];
    return {
      ...req,
      context: ctx.length ? copy(req.context, donor.context ?? {}, ctx) : req.context,
      candidates: cand.length && donor.candidates.length
        ? req.candidates.map((c, k) => ({ ...c, features: copy(c.features, donor.candidates[k % donor.candidates.length].features, cand) }))
        : req.candidates,
    };
  });
}

/** permutations of 0..n-1 in lexicographic order (for exact Shapley values on a few players). */
function allPermutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of allPermutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

export interface ShapleyOptions {
  /** permutations to sample; when n! is not larger, every permutation is used and the values are exact */
  permutations: number;
  /** seeded [0,1) generator */
  random: () => number;
}

/**
 * shapley estimates each player's Shapley value of `value` (a set function, memoized by the caller
 * or here) by averaging marginal contributions over permutations: exact when all n! fit in the
 * budget, otherwise sampled (each sampled permutation is used with its reverse, antithetic, which
 * lowers the variance). Values sum to value(all) − value(∅) for every permutation set.
 */
export async function shapley(n: number, value: (members: number[]) => Promise<number> | number, o: ShapleyOptions): Promise<{ values: number[]; exact: boolean; permutations: number }> {
  const memo = new Map<string, Promise<number>>();
  const v = (members: number[]) => {
    const key = [...members].sort((a, b) => a - b).join(',');
    let p = memo.get(key);
    if (!p) memo.set(key, (p = Promise.resolve(value([...members].sort((a, b) => a - b)))));
    return p;
  };
  let factorial = 1;
  for (let i = 2; i <= n && factorial <= o.permutations; i++) factorial *= i;
  const exact = factorial <= o.permutations;
  let perms: number[][];
  if (exact) perms = allPermutations(n);
  else {
    perms = [];
    while (perms.length < o.permutations) {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(o.random() * (i + 1));
        [p[i], p[j]] = [p[j], p[i]];
      }
      perms.push(p, [...p].reverse());
    }
  }
  const values = new Array<number>(n).fill(0);
  for (const p of perms) {
    let prev = await v([]);
    const members: number[] = [];
    for (const player of p) {
      members.push(player);
      const cur = await v(members);
      values[player] += cur - prev;
      prev = cur;
    }
  }
  return { values: values.map((x) => x / perms.length), exact, permutations: perms.length };
}
