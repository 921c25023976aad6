import { z } from 'zod';
import { CATEGORICAL_TESTS, DEFAULT_MIN_EFFECT, NUMERIC_TESTS } from '../detectors/distribution';
import { Reservoir } from '../util/reservoir';
import { DriftReference, driftFields, topEvidence, type DriftVerdict } from './drift-reference';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { WindowedState } from './windowed';
import { FeatureNames, type Place } from './feature-names';
import { MISSING, NUMBER, ServingFeatures } from './serving-features';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  ...driftFields,
  kind: z.literal('feature-drift'),
  /** watch only these features (context features are named `context.<name>`); all seen when empty */
  features: z.array(z.string()).default([]),
  /** never watch these (e.g. an id-like feature whose values are all new) */
  exclude: z.array(z.string()).default([]),
  /** at most this many distinct features are tracked (first seen) */
  max_features: z.number().int().positive().default(100),
  numeric_test: z.enum(NUMERIC_TESTS).default('psi'),
  categorical_test: z.enum(CATEGORICAL_TESTS).default('js'),
  /** effect sizes at or above which a significant shift is drift; default per test (PSI 0.2, JS 0.05, …) */
  min_effect_numeric: z.number().positive().optional(),
  min_effect_categorical: z.number().positive().optional(),
});
export type FeatureDriftDefinition = z.infer<typeof schema> & CheckDefinition;

type Kind = 'numeric' | 'categorical';

interface FeatureState {
  kind: Kind;
  reference: DriftReference;
}

/**
 * feature-drift compares, per serving feature (candidate features, and context features as
 * `context.<name>`), the distribution of this window's values with the trailing reference: numbers
 * by PSI (KS for significance), strings and booleans by Jensen–Shannon (χ² for significance). Nulls
 * are left to feature-quality. Value: the effect size when the window drifted (significant and
 * large enough), 0 when not, NaN when not judged; the evidence lists the top drifting features.
 */
export const featureDriftKind: CheckKind<FeatureDriftDefinition> = {
  kind: 'feature-drift',
  description: 'per-feature drift of the serving inputs against the trailing windows (PSI / JS, with KS / χ² significance)',
  mode: 'streaming',
  schema: schema as z.ZodType<FeatureDriftDefinition>,
  create(def, deps) {
    const only = def.features.length ? new Set(def.features) : undefined;
    const excluded = new Set(def.exclude);
    // each watched feature's index (on its first non-null value), and its state by that index
    const names = new FeatureNames((name, watched) => !excluded.has(name) && (only ? only.has(name) : watched < def.max_features));
    const features: FeatureState[] = [];
    const windows = new WindowedState(() => [] as Array<Reservoir<number | string> | undefined>);

    // the event's values, walked once for all the feature checks
    const walked = deps?.servingFeatures ?? new ServingFeatures();
    const reader = walked.reader();

    /** offerWalk offers the non-null values of an event's walked features objects (ServingFeatures) */
    const offerWalk = (agg: Array<Reservoir<number | string> | undefined>, k: number) => {
      for (let o = walked.firstObject(k); o < walked.endObject(k); o++) {
        const place = walked.objPlace[o] as Place;
        const from = walked.objFrom[o];
        for (let v = from; v < walked.objTo[o]; v++) {
          const kind = walked.kinds[v];
          if (kind === MISSING || (kind === NUMBER && !Number.isFinite(walked.nums[v]))) continue;
          const i = names.indexAt(v - from, walked.keys[v], place);
          if (i < 0) continue;
          // a feature's kind is that of its first value
          const state = i < features.length ? features[i] : (features[i] = { kind: kind === NUMBER ? 'numeric' : 'categorical', reference: new DriftReference(def.reference_windows, def.relearn_after) });
          if (state.kind === 'numeric' && kind !== NUMBER) continue; // a string in a numeric feature: not comparable
          const r = agg[i] ?? (agg[i] = new Reservoir(def.reservoir_size));
          // the value is read only when the sample keeps it (a number read out is a new box)
          const j = r.slot();
          if (j < 0) continue;
          r.items[j] = state.kind === 'categorical' ? String(kind === NUMBER ? walked.nums[v] : walked.raws[v]) : walked.nums[v];
        }
      }
    };

    return {
      mode: 'streaming',
      eventTypes: ['serving'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type !== 'serving') return;
        offerWalk(windows.at(ws), reader.walk(e));
      },
      close(ws) {
        const agg = windows.take(ws);
        const judged: { name: string; verdict: DriftVerdict; current: number[] | string[]; state: FeatureState }[] = [];
        for (let i = 0; i < features.length; i++) {
          const name = names.names[i];
          const state = features[i];
          const current = (agg[i]?.items ?? []) as number[] | string[];
          const numeric = state.kind === 'numeric';
          const test = numeric ? def.numeric_test : def.categorical_test;
          const minEffect = (numeric ? def.min_effect_numeric : def.min_effect_categorical) ?? DEFAULT_MIN_EFFECT[test];
          const verdict = state.reference.judge(current, { test, minSamples: def.min_samples, alpha: def.alpha, minEffect });
          judged.push({ name, verdict, current, state });
        }
        const evidence = topEvidence(judged.map((j) => ({ name: `feature=${j.name}`, verdict: j.verdict })), def.evidence_top);
        const out: Observation[] = judged.map(({ name, verdict }) => {
          const c = verdict.comparison;
          const obs: Observation = {
            labels: { feature: name },
            value: verdict.value,
            details: {
              basis: verdict.basis,
              ...(c?.judged ? { test: c.test, statistic: c.statistic, p_value: c.pValue, effect: c.effect, drifted: c.drifted } : {}),
              ...(c ? { n_current: c.nCurrent, n_reference: c.nReference } : {}),
            },
          };
          if (c?.drifted) {
            obs.summary = `feature ${name} drifted from the last ${def.reference_windows} windows: ${verdict.basis}`;
            obs.evidence = evidence;
          }
          return obs;
        });
        for (const { verdict, current, state } of judged) state.reference.learn(current, verdict.comparison?.drifted === true);
        return out;
      },
    };
  },
};
