import { quantileSorted } from 'simple-statistics';
import type { FeatureValue } from '../events/contract';
import { Reservoir } from '../util/reservoir';

/** JsonType: the JSON type of a non-null feature value. */
export type JsonType = 'number' | 'string' | 'boolean';

export interface ReferenceOptions {
  /** closed windows with values of the feature that make up its reference period */
  windows: number;
  /** the learned range runs from the lower to the upper quantile of the reference values… */
  quantiles: [number, number];
  /** …widened by this fraction of its width on each side */
  margin: number;
  /** numeric values kept (uniform sample) to compute the quantiles */
  sample: number;
  /** a string feature with more distinct values than this is an id, not a category: no new-category rate */
  maxCategories: number;
}

/** Learned: what the reference period established about one feature. */
export interface Learned {
  type: JsonType;
  /** the learned [min, max] of a numeric feature */
  range?: [number, number];
  /** the categories of a string or boolean feature (absent when it had too many to be categorical) */
  categories?: Set<string>;
}

/**
 * FeatureReference learns one feature's normal from its first `windows` windows with values: its
 * established JSON type (the most common one), its numeric range (quantiles of a bounded sample,
 * widened by a margin) and its set of categories (bounded). Until then it has learned nothing and
 * the measures that need it stay quiet.
 */
export class FeatureReference {
  learned?: Learned;
  private windowsLeft: number;
  private readonly types: Record<JsonType, number> = { number: 0, string: 0, boolean: 0 };
  private readonly numbers: Reservoir<number>;
  private categories: Set<string> | undefined = new Set<string>();

  constructor(private readonly o: ReferenceOptions) {
    this.windowsLeft = Math.max(1, o.windows);
    this.numbers = new Reservoir<number>(o.sample);
  }

  /** learn folds a value in while the reference period lasts. */
  learn(v: FeatureValue): void {
    if (this.learned || v === null) return;
    if (typeof v === 'number') return this.learnNumber(v);
    this.types[typeof v as 'string' | 'boolean']++;
    if (this.categories) {
      this.categories.add(String(v));
      if (this.categories.size > this.o.maxCategories) this.categories = undefined;
    }
  }

  /** learnNumber: learn for a number, which the sample mostly does not keep (see Reservoir.slot) */
  learnNumber(x: number): void {
    if (this.learned) return;
    this.types.number++;
    const j = this.numbers.slot();
    if (j >= 0) this.numbers.items[j] = x;
  }

  /** windowClosed counts one closed window with values; the last one of the period fixes what was learned. */
  windowClosed(): void {
    if (this.learned) return;
    const { number, string, boolean } = this.types;
    if (--this.windowsLeft > 0 || number + string + boolean === 0) return;
    const type: JsonType = number >= string && number >= boolean ? 'number' : string >= boolean ? 'string' : 'boolean';
    const learned: Learned = { type };
    if (type === 'number') learned.range = learnedRange(this.numbers.items, this.o.quantiles, this.o.margin);
    else if (this.categories) learned.categories = this.categories;
    this.learned = learned;
    this.numbers.items.length = 0; // the sample is not needed any more
    this.categories = undefined;
  }
}

/** learnedRange: [q_lo − margin·w, q_hi + margin·w] of the values, w = q_hi − q_lo. */
export function learnedRange(values: number[], [qLo, qHi]: [number, number], margin: number): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const lo = quantileSorted(sorted, qLo);
  const hi = quantileSorted(sorted, qHi);
  const pad = margin * (hi - lo);
  return [lo - pad, hi + pad];
}
