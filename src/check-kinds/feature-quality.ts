import { z } from 'zod';
import type { Features } from '../events/contract';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { WindowedState } from './windowed';

const MEASURES = ['null_rate', 'zero_rate'] as const;

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
});
export type FeatureQualityDefinition = z.infer<typeof schema> & CheckDefinition;

interface FeatureCounts {
  total: number;
  nulls: number;
  zeros: number;
}

/**
 * feature-quality watches the model's inputs in `serving` events: per feature, the share of values
 * that are null or missing (a feature pipeline that broke) and the share that are exactly zero.
 */
export const featureQualityKind: CheckKind<FeatureQualityDefinition> = {
  kind: 'feature-quality',
  description: 'per-feature null/missing rate and zero rate of the serving inputs',
  mode: 'streaming',
  schema: schema as z.ZodType<FeatureQualityDefinition>,
  create(def) {
    const only = def.features.length ? new Set(def.features) : undefined;
    // Known features per place (context / candidate), so an absent one can be counted as missing.
    const known = { context: new Set<string>(), candidate: new Set<string>() };
    const windows = new WindowedState(() => new Map<string, FeatureCounts>());
    const count = (agg: Map<string, FeatureCounts>, name: string, v: unknown) => {
      let c = agg.get(name);
      if (!c) agg.set(name, (c = { total: 0, nulls: 0, zeros: 0 }));
      c.total++;
      if (v === null || v === undefined) c.nulls++;
      else if (v === 0) c.zeros++;
    };
    const countAll = (agg: Map<string, FeatureCounts>, features: Features, place: 'context' | 'candidate') => {
      const prefix = place === 'context' ? 'context.' : '';
      const names = known[place];
      let present = 0;
      for (const key in features) {
        const name = prefix + key;
        if (!names.has(name)) {
          if (only ? !only.has(name) : known.context.size + known.candidate.size >= def.max_features) continue;
          names.add(name);
        }
        present++;
        count(agg, name, features[key]);
      }
      if (present === names.size) return;
      for (const name of names) if (!(name.slice(prefix.length) in features)) count(agg, name, undefined);
    };
    return {
      mode: 'streaming',
      eventTypes: ['serving'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type !== 'serving') return;
        const agg = windows.at(ws);
        countAll(agg, e.context, 'context');
        for (const c of e.candidates) countAll(agg, c.features, 'candidate');
      },
      close(ws) {
        const agg = windows.take(ws);
        const out: Observation[] = [];
        for (const [feature, c] of agg) {
          if (c.total < def.min_values) continue;
          for (const measure of def.measures) {
            const value = (measure === 'null_rate' ? c.nulls : c.zeros) / c.total;
            out.push({ labels: { feature, measure }, value, details: { values: c.total, nulls: c.nulls, zeros: c.zeros } });
          }
        }
        return out;
      },
    };
  },
};
