import { z } from 'zod';
import { DEFAULT_MIN_EFFECT, NUMERIC_TESTS } from '../detectors/distribution';
import { Reservoir } from '../util/reservoir';
import { DriftReference, driftFields, topEvidence, type DriftVerdict } from './drift-reference';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { ShownImpressions } from './shown-impressions';
import { BoundedMap, WindowedState } from './windowed';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  ...driftFields,
  kind: z.literal('score-drift'),
  /**
   * `serving`: every candidate's score (what the model said); `impression`: the scores of what was
   * shown; `engaged`: the scores of shown items users then engaged with (joined by request_id and
   * item_id), which moves when scores stop predicting engagement even if their overall shape does not
   */
  source: z.enum(['serving', 'impression', 'engaged']).default('serving'),
  /** shown items remembered for the `engaged` join, at least (up to twice as many; the oldest are forgotten first) */
  max_pending_impressions: z.number().int().positive().default(100_000),
  /** at most this many model versions are tracked */
  max_versions: z.number().int().positive().default(20),
  test: z.enum(NUMERIC_TESTS).default('psi'),
  /** effect size at or above which a significant shift is drift; default per test (PSI 0.2) */
  min_effect: z.number().positive().optional(),
});
export type ScoreDriftDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * score-drift compares the distribution of the model's scores, per model_version, with the trailing
 * reference of that version. A version without a reference of its own yet (a new rollout) is
 * compared with the reference of all versions: a new model that scores unlike the one it replaces
 * is exactly what to look at. Catches a bad model, a stale cache serving someone else's scores, a
 * broken calibration. Value: the effect size when drifted, 0 when not, NaN when not judged.
 */
export const scoreDriftKind: CheckKind<ScoreDriftDefinition> = {
  kind: 'score-drift',
  description: "per-model_version drift of the model's score distribution against the trailing windows (PSI, with KS significance)",
  mode: 'streaming',
  schema: schema as z.ZodType<ScoreDriftDefinition>,
  create(def, deps) {
    const newReference = () => new DriftReference(def.reference_windows, def.relearn_after);
    const versions = new BoundedMap<string, DriftReference>(def.max_versions);
    const pooled = newReference();
    const windows = new WindowedState(() => new Map<string, Reservoir<number>>());
    const offer = (ws: number, version: string, score: number) => {
      if (!Number.isFinite(score)) return;
      const agg = windows.at(ws);
      let r = agg.get(version);
      if (!r) {
        if (agg.size >= def.max_versions) return;
        agg.set(version, (r = new Reservoir(def.reservoir_size)));
      }
      r.offer(score);
    };
    const opts = { test: def.test, minSamples: def.min_samples, alpha: def.alpha, minEffect: def.min_effect ?? DEFAULT_MIN_EFFECT[def.test] };

    // engaged: the pipeline's shared table of shown items (score, model version), with a flag of this
    // check's own per item: engaged already
    const shown = def.source === 'engaged' ? (deps.shownImpressions ?? new ShownImpressions()).want(def.max_pending_impressions) : undefined;
    const engagedBit = shown?.claimMark() ?? 0;

    return {
      mode: 'streaming',
      eventTypes: def.source === 'engaged' ? ['impression', 'engagement'] : [def.source],
      windowMs: def.window,
      add(ws, e) {
        if (def.source === 'serving' && e.type === 'serving') for (const s of e.scores) offer(ws, e.model_version, s);
        else if (def.source === 'impression' && e.type === 'impression') offer(ws, e.model_version, e.score);
        else if (shown) {
          if (e.type === 'impression') shown.remember(e);
          else if (e.type === 'engagement') {
            const slot = shown.find(e);
            if (slot >= 0 && !shown.marked(slot, engagedBit)) {
              shown.mark(slot, engagedBit); // one engaged score per shown item, however many actions followed
              offer(ws, shown.labels(slot).model_version, shown.score(slot));
            }
          }
        }
      },
      close(ws) {
        const agg = windows.take(ws);
        const judged: { version: string; verdict: DriftVerdict; current: number[] }[] = [];
        for (const [version, sample] of agg) {
          let reference = versions.get(version);
          if (!reference) versions.set(version, (reference = newReference()));
          judged.push({ version, verdict: reference.judge(sample.items, opts, pooled), current: sample.items });
        }
        const evidence = topEvidence(judged.map((j) => ({ name: `model_version=${j.version}`, verdict: j.verdict })), def.evidence_top);
        const out: Observation[] = judged.map(({ version, verdict }) => {
          const c = verdict.comparison;
          const obs: Observation = {
            labels: { model_version: version },
            value: verdict.value,
            details: {
              basis: verdict.basis,
              source: def.source,
              ...(c?.judged ? { test: c.test, statistic: c.statistic, p_value: c.pValue, effect: c.effect, drifted: c.drifted } : {}),
              ...(c ? { n_current: c.nCurrent, n_reference: c.nReference } : {}),
            },
          };
          if (c?.drifted) {
            obs.summary = `${def.source} scores of model_version ${version} drifted: ${verdict.basis}`;
            obs.evidence = evidence;
          }
          return obs;
        });
        // the pooled reference learns the window unless a version in it drifted
        // the pooled reference learns only what a version's own reference vouched for, so a new
        // version that could not be judged yet never teaches the others' reference
        const vouched = judged.filter((j) => j.verdict.comparison?.judged && !j.verdict.comparison.drifted && versions.get(j.version)!.ready);
        for (const { current } of vouched) pooled.learn(current, false);
        for (const { version, verdict, current } of judged) versions.get(version)!.learn(current, verdict.comparison?.drifted === true);
        return out;
      },
    };
  },
};
