import type { ServingEvent } from '../events/contract';

type Value = string | number | boolean | null | undefined;

/** FeatureEvidence: one feature's input quality in the failing sample against the reference sample. */
export interface FeatureEvidence {
  /** candidate feature name, or `context.<name>` */
  feature: string;
  failing: Rates;
  reference: Rates;
  /** population stability index of the failing values against the reference (null and missing in their own bin) */
  psi: number;
}

export interface Rates {
  n: number;
  null_rate: number;
  zero_rate: number;
  /** numeric values outside the reference's [min, max] */
  out_of_range_rate: number;
  /** values whose type the reference never had for this feature (a string in a numeric feature…) */
  type_violation_rate: number;
}

/** FeatureShift: a rate that grew by at least the threshold — the input evidence a verdict names. */
export interface FeatureShift {
  feature: string;
  measure: 'null_rate' | 'zero_rate' | 'type_violation_rate';
  failing: number;
  reference: number;
}

/** featureValues collects every value of every feature (candidate features and `context.*`), missing ones as undefined. */
export function featureValues(events: ServingEvent[]): Map<string, Value[]> {
  const names = new Set<string>();
  for (const e of events) {
    for (const k of Object.keys(e.context ?? {})) names.add(`context.${k}`);
    for (const c of e.candidates) for (const k of Object.keys(c.features)) names.add(k);
  }
  const out = new Map<string, Value[]>([...names].map((n) => [n, []]));
  const ctx = [...out].filter(([n]) => n.startsWith('context.')).map(([n, vals]) => [n.slice(8), vals] as const);
  const cand = [...out].filter(([n]) => !n.startsWith('context.'));
  for (const e of events) {
    for (const [name, vals] of ctx) vals.push(e.context?.[name] as Value);
    for (const c of e.candidates) for (const [name, vals] of cand) vals.push(c.features[name] as Value);
  }
  return out;
}

const typeOf = (v: Value) => (v === null || v === undefined ? 'null' : typeof v);

/** inputEvidence compares each feature of the failing inputs with the reference inputs; most shifted first. */
export function inputEvidence(failing: ServingEvent[], reference: ServingEvent[]): FeatureEvidence[] {
  const f = featureValues(failing);
  const r = featureValues(reference);
  const out: FeatureEvidence[] = [];
  for (const name of new Set([...f.keys(), ...r.keys()])) {
    const fv = f.get(name) ?? new Array<Value>(Math.max(1, failing.length)).fill(undefined);
    const rv = r.get(name) ?? new Array<Value>(Math.max(1, reference.length)).fill(undefined);
    const types = new Set(rv.map(typeOf).filter((t) => t !== 'null'));
    let range: { min: number; max: number } | null = null;
    for (const v of rv) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (!range) range = { min: v, max: v };
      else if (v < range.min) range.min = v;
      else if (v > range.max) range.max = v;
    }
    out.push({ feature: name, failing: rates(fv, types, range), reference: rates(rv, types, range), psi: featurePsi(rv, fv) });
  }
  return out.sort((a, b) => shiftOf(b) - shiftOf(a) || b.psi - a.psi || a.feature.localeCompare(b.feature));
}

/** shiftOf: the largest growth of a quality rate from reference to failing. */
export function shiftOf(e: FeatureEvidence): number {
  return Math.max(
    e.failing.null_rate - e.reference.null_rate,
    e.failing.zero_rate - e.reference.zero_rate,
    e.failing.type_violation_rate - e.reference.type_violation_rate,
  );
}

/** featureShifts: the rates that grew by at least `minShift`, largest first. */
export function featureShifts(evidence: FeatureEvidence[], minShift: number): FeatureShift[] {
  const out: FeatureShift[] = [];
  for (const e of evidence) {
    for (const measure of ['null_rate', 'zero_rate', 'type_violation_rate'] as const) {
      if (e.failing[measure] - e.reference[measure] >= minShift) out.push({ feature: e.feature, measure, failing: e.failing[measure], reference: e.reference[measure] });
    }
  }
  return out.sort((a, b) => b.failing - b.reference - (a.failing - a.reference) || a.feature.localeCompare(b.feature));
}

function rates(vals: Value[], refTypes: Set<string>, range: { min: number; max: number } | null): Rates {
  let nulls = 0;
  let zeros = 0;
  let out = 0;
  let wrong = 0;
  for (const v of vals) {
    if (v === null || v === undefined) nulls++;
    else {
      if (v === 0) zeros++;
      if (refTypes.size && !refTypes.has(typeof v)) wrong++;
      if (typeof v === 'number' && range && (v < range.min || v > range.max || !Number.isFinite(v))) out++;
    }
  }
  const n = vals.length || 1;
  return { n: vals.length, null_rate: nulls / n, zero_rate: zeros / n, out_of_range_rate: out / n, type_violation_rate: wrong / n };
}

const PSI_FLOOR = 1e-4;

/** psi: the population stability index Σ (a − e) · ln(a / e) of two binned distributions (counts or shares); empty bins floored at 1e-4. */
export function psi(expected: number[], actual: number[]): number {
  const se = expected.reduce((a, b) => a + b, 0) || 1;
  const sa = actual.reduce((a, b) => a + b, 0) || 1;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(PSI_FLOOR, expected[i] / se);
    const a = Math.max(PSI_FLOOR, (actual[i] ?? 0) / sa);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/**
 * featurePsi bins numbers by the reference's deciles (distinct cut points), other values by category,
 * and null/missing into a bin of its own, then computes the PSI of failing against reference.
 */
export function featurePsi(reference: Value[], failing: Value[], bins = 10): number {
  const nums = Float64Array.from(reference.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))).sort();
  const cuts = nums.length ? [...new Set(Array.from({ length: bins - 1 }, (_, i) => nums[Math.floor(((i + 1) * nums.length) / bins)]))] : [];
  // bins: 0..cuts.length for numbers, then null/missing, then one per other value
  const count = (vals: Value[]) => {
    const numeric = new Array<number>(cuts.length + 2).fill(0);
    const other = new Map<string, number>();
    for (const v of vals) {
      if (v === null || v === undefined) numeric[cuts.length + 1]++;
      else if (typeof v === 'number' && Number.isFinite(v)) {
        let b = 0;
        while (b < cuts.length && v >= cuts[b]) b++;
        numeric[b]++;
      } else {
        const k = `${typeof v}:${String(v)}`;
        other.set(k, (other.get(k) ?? 0) + 1);
      }
    }
    return { numeric, other };
  };
  const e = count(reference);
  const a = count(failing);
  const keys = [...new Set([...e.other.keys(), ...a.other.keys()])];
  return psi([...e.numeric, ...keys.map((k) => e.other.get(k) ?? 0)], [...a.numeric, ...keys.map((k) => a.other.get(k) ?? 0)]);
}
