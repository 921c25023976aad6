import { z } from 'zod';
import { durationSchema } from '../config/duration';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem, type Observation } from './kind';
import { FeatureReference, type JsonType } from './feature-reference';
import { WindowedState } from './windowed';
import { FeatureNames, type Place } from './feature-names';
import { MISSING, NUMBER, ServingFeatures } from './serving-features';

export const MEASURES = ['null_rate', 'zero_rate', 'out_of_range_rate', 'type_change_rate', 'new_category_rate'] as const;
export type Measure = (typeof MEASURES)[number];

const DAY = 24 * 3_600_000;
/** distinct new values of one feature counted per window, for the evidence */
const MAX_NEW_VALUES = 20;
const EVIDENCE_ITEMS = 5;

const rangeSchema = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: 'expected [min, max] with min ≤ max' });

const quantilesSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine(([lo, hi]) => lo < hi, { message: 'expected [lower, upper] quantiles with lower < upper, e.g. [0.001, 0.999]' });

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('feature-quality'),
  measures: z.array(z.enum(MEASURES)).min(1).default(['null_rate']),
  /** watch only these features (context features are named `context.<name>`); all seen when empty */
  features: z.array(z.string()).default([]),
  /** at most this many distinct features are tracked */
  max_features: z.number().int().positive().default(100),
  min_values: z.number().int().nonnegative().default(50),
  /** known ranges, `feature: [min, max]`; other numeric features learn theirs in the reference period */
  range: z.record(z.string(), rangeSchema).default({}),
  /** how each feature's normal (type, range, categories) is learned from its own first values */
  reference: z
    .strictObject({
      /** event time from a feature's first window that makes up its reference; a day covers its daily rhythm */
      period: durationSchema.default(DAY),
      quantiles: quantilesSchema.default([0.001, 0.999]),
      /** the learned range is widened by this fraction of its width on each side */
      margin: z.number().nonnegative().default(0.1),
      /** numeric values sampled per feature to compute the quantiles */
      sample: z.number().int().min(10).max(100_000).default(2000),
      /** a string feature with more distinct values is an id, not a category */
      max_categories: z.number().int().positive().max(100_000).default(1000),
    })
    .prefault({}),
});
export type FeatureQualityDefinition = z.infer<typeof schema> & CheckDefinition;

interface FeatureCounts {
  total: number;
  nulls: number;
  zeros: number;
  /** numeric values judged against a range, and those outside it */
  ranged: number;
  outOfRange: number;
  /** non-null values judged against the established type, and those of another type */
  typed: number;
  typeChanged: number;
  otherTypes: Partial<Record<JsonType, number>>;
  /** categorical values judged against the reference categories, and those never seen there */
  categorised: number;
  newCategory: number;
  newValues: Map<string, number>;
}

/** one window's counts, by feature index, and the indices in the order the window first saw them */
interface WindowCounts {
  byIndex: Array<FeatureCounts | undefined>;
  order: number[];
}

const emptyCounts = (): FeatureCounts => ({
  total: 0, nulls: 0, zeros: 0, ranged: 0, outOfRange: 0, typed: 0, typeChanged: 0, otherTypes: {}, categorised: 0, newCategory: 0, newValues: new Map(),
});

/** RATE: each measure's numerator and denominator; undefined when the window has nothing to judge. */
const RATE: Record<Measure, (c: FeatureCounts) => [number, number]> = {
  null_rate: (c) => [c.nulls, c.total],
  zero_rate: (c) => [c.zeros, c.total],
  out_of_range_rate: (c) => [c.outOfRange, c.ranged],
  type_change_rate: (c) => [c.typeChanged, c.typed],
  new_category_rate: (c) => [c.newCategory, c.categorised],
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toPrecision(4));

/**
 * feature-quality watches the model's inputs in `serving` events, per feature: the share of values
 * that are null or missing (a feature pipeline that broke), exactly zero, outside the feature's
 * range, of another JSON type than usual, or a category never seen before. The last three compare
 * with a reference each feature learns from its own first values (or a given `range`); until then
 * they report nothing, so a new stream or a new feature is quiet while it is learned.
 */
export const featureQualityKind: CheckKind<FeatureQualityDefinition> = {
  kind: 'feature-quality',
  description: 'per-feature null, zero, out-of-range, type-change and new-category rates of the serving inputs',
  mode: 'streaming',
  schema: schema as unknown as z.ZodType<FeatureQualityDefinition>,
  create(def, deps) {
    const only = def.features.length ? new Set(def.features) : undefined;
    const refOptions = {
      windows: Math.ceil(def.reference.period / def.window),
      quantiles: def.reference.quantiles,
      margin: def.reference.margin,
      sample: def.reference.sample,
      maxCategories: def.reference.max_categories,
    };
    // a Map, not the parsed object: a feature named like an Object.prototype key must not find a range
    const givenRange = new Map(Object.entries(def.range));
    const needsReference = def.measures.some((m) => m !== 'null_rate' && m !== 'zero_rate');
    // Each watched feature's index (FeatureNames), its reference and its given range by that index.
    const names = new FeatureNames((name, watched) => (only ? only.has(name) : watched < def.max_features));
    const refs: FeatureReference[] = [];
    const givenByIndex: Array<[number, number] | undefined> = [];
    const windows = new WindowedState<WindowCounts>(() => ({ byIndex: [], order: [] }));
    // which walk last saw each feature, to count the known features an event lacks as missing
    const seenInWalk: number[] = [];
    let walk = 0;
    // the event's values, walked once for all the feature checks
    const features = deps?.servingFeatures ?? new ServingFeatures();
    const reader = features.reader();

    const counts = (agg: WindowCounts, i: number): FeatureCounts => {
      let c = agg.byIndex[i];
      if (!c) {
        agg.byIndex[i] = c = emptyCounts();
        agg.order.push(i);
      }
      return c;
    };

    /** judgeNumber: a number against the feature's reference (the measures beyond null and zero rates) */
    const judgeNumber = (c: FeatureCounts, i: number, x: number) => {
      const ref = refs[i];
      ref.learnNumber(x);
      const learned = ref.learned;
      const range = givenByIndex[i] ?? learned?.range;
      if (range) {
        c.ranged++;
        if (x < range[0] || x > range[1]) c.outOfRange++;
      }
      if (!learned) return;
      c.typed++;
      if (learned.type !== 'number') typeChanged(c, 'number');
    };

    /** judgeOther: a string or a boolean against the feature's reference */
    const judgeOther = (c: FeatureCounts, i: number, v: string | boolean) => {
      const ref = refs[i];
      ref.learn(v);
      const learned = ref.learned;
      if (!learned) return;
      c.typed++;
      const type = typeof v as JsonType;
      if (type !== learned.type) typeChanged(c, type);
      if (learned.categories) {
        c.categorised++;
        const s = String(v);
        if (!learned.categories.has(s)) {
          c.newCategory++;
          const n = c.newValues.get(s);
          if (n !== undefined) c.newValues.set(s, n + 1);
          else if (c.newValues.size < MAX_NEW_VALUES) c.newValues.set(s, 1);
        }
      }
    };

    const typeChanged = (c: FeatureCounts, type: JsonType) => {
      c.typeChanged++;
      c.otherTypes[type] = (c.otherTypes[type] ?? 0) + 1;
    };

    /** countWalk counts the values of an event's walked features objects (ServingFeatures) */
    const countWalk = (agg: WindowCounts, k: number) => {
      for (let o = features.firstObject(k); o < features.endObject(k); o++) {
        const place = features.objPlace[o] as Place;
        const from = features.objFrom[o];
        const w = ++walk;
        let present = 0;
        for (let v = from; v < features.objTo[o]; v++) {
          const i = names.indexAt(v - from, features.keys[v], place);
          if (i < 0) continue;
          if (i === refs.length) {
            refs.push(new FeatureReference(refOptions));
            givenByIndex.push(givenRange.get(names.names[i]));
          }
          seenInWalk[i] = w;
          present++;
          const c = counts(agg, i);
          c.total++;
          const kind = features.kinds[v];
          if (kind === MISSING) {
            c.nulls++;
          } else if (kind === NUMBER) {
            // the number stays a double here: passed on only when the reference needs it
            if (features.nums[v] === 0) c.zeros++;
            if (needsReference) judgeNumber(c, i, features.nums[v]);
          } else if (needsReference) {
            judgeOther(c, i, features.raws[v]!);
          }
        }
        const known = names.ofPlace[place];
        if (present === known.length) continue;
        // the known features this object lacks count as missing
        for (const i of known) {
          if (seenInWalk[i] === w) continue;
          const c = counts(agg, i);
          c.total++;
          c.nulls++;
        }
      }
    };

    /** evidenceFor: the features with the highest rate of the measure this window, highest first. */
    const evidenceFor = (agg: WindowCounts, measure: Measure): EvidenceItem[] => {
      const items: EvidenceItem[] = [];
      for (const i of agg.order) {
        const feature = names.names[i];
        const c = agg.byIndex[i]!;
        const [num, den] = RATE[measure](c);
        if (num === 0 || den < def.min_values) continue;
        items.push({ name: `feature=${feature}`, value: num / den, note: noteFor(measure, i, c, num, den) });
      }
      return items.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name)).slice(0, EVIDENCE_ITEMS);
    };

    const noteFor = (measure: Measure, i: number, c: FeatureCounts, num: number, den: number): string => {
      const base = `${num} of ${den} values`;
      if (measure === 'out_of_range_rate') {
        const r = givenByIndex[i] ?? refs[i].learned?.range;
        return r ? `${base} outside [${fmt(r[0])}, ${fmt(r[1])}]` : base;
      }
      if (measure === 'type_change_rate') {
        const was = refs[i].learned?.type;
        const now = Object.entries(c.otherTypes).map(([t, n]) => `${t} ×${n}`).join(', ');
        return `${base}: ${now} where ${was} was established`;
      }
      if (measure === 'new_category_rate') return `${base} new: ${[...c.newValues.keys()].slice(0, 3).join(', ')}`;
      return `${base} ${measure === 'null_rate' ? 'null or missing' : 'exactly 0'}`;
    };

    return {
      mode: 'streaming',
      eventTypes: ['serving'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type !== 'serving') return;
        countWalk(windows.at(ws), reader.walk(e));
      },
      close(ws) {
        const agg = windows.take(ws);
        const out: Observation[] = [];
        const evidence = new Map<Measure, EvidenceItem[]>();
        for (const i of agg.order) {
          const feature = names.names[i];
          const c = agg.byIndex[i]!;
          for (const measure of def.measures) {
            const [num, den] = RATE[measure](c);
            if (den < def.min_values || den === 0) continue;
            let ev = evidence.get(measure);
            if (!ev) evidence.set(measure, (ev = evidenceFor(agg, measure)));
            const obs: Observation = {
              labels: { feature, measure },
              value: num / den,
              details: { values: c.total, nulls: c.nulls, zeros: c.zeros, judged: den, matching: num },
              evidence: ev,
            };
            if (measure === 'new_category_rate' && c.newValues.size) {
              const values = [...c.newValues].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
              obs.details!.new_values = Object.fromEntries(values);
              // the new values of this feature are the evidence: the page names them
              obs.evidence = values.slice(0, 10).map(([v, n]) => ({ name: `${feature}=${v}`, value: n, note: 'not seen in the reference period' }));
            }
            if (measure === 'out_of_range_rate') obs.details!.range = givenByIndex[i] ?? refs[i]?.learned?.range ?? null;
            out.push(obs);
          }
        }
        // Windows count towards a feature's reference only once closed, so the period is event time.
        for (const i of agg.order) if (agg.byIndex[i]!.total > agg.byIndex[i]!.nulls) refs[i].windowClosed();
        return out;
      },
    };
  },
};
