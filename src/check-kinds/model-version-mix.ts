import { z } from 'zod';
import { BoundedCounter } from './bounded-counter';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem, type Observation } from './kind';
import { pct } from './shown-items';
import { WindowedState } from './windowed';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('model-version-mix'),
  /** impression: share of impressions; serving: share of requests */
  event_type: z.enum(['impression', 'serving']).default('impression'),
  /** at most this many versions are tracked; later ones are counted in the total only */
  max_versions: z.number().int().positive().default(20),
  /**
   * a version is reported once it has carried traffic in this many windows, so a short-lived
   * version (an incident's, a brief canary) is judged through the established versions' shares and
   * its own disappearance does not page
   */
  establish_after: z.number().int().min(1).default(8),
  /** a version absent this many windows in a row stops reporting (it was retired), so its alert resolves */
  retire_after: z.number().int().min(1).default(8),
  /** windows with fewer events are not judged */
  min_events: z.number().int().nonnegative().default(50),
});
export type ModelVersionMixDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * model-version-mix: each model_version's share of the traffic per window, one series per version.
 * A version that goes quiet reports 0 (that zero is the incident: a canary took all traffic, or a
 * rollback removed the healthy version) until it has been absent `retire_after` windows. The
 * evidence lists the versions whose share moved most since the previous window.
 */
export const modelVersionMixKind: CheckKind<ModelVersionMixDefinition> = {
  kind: 'model-version-mix',
  description: 'share of traffic per model_version per window (one series per version)',
  mode: 'streaming',
  schema: schema as z.ZodType<ModelVersionMixDefinition>,
  create(def) {
    // version → windows with traffic so far, and absent in a row; bounded by max_versions
    const known = new Map<string, { present: number; absent: number }>();
    let previous = new Map<string, number>();
    const windows = new WindowedState(() => new BoundedCounter(def.max_versions));
    return {
      mode: 'streaming',
      eventTypes: [def.event_type],
      windowMs: def.window,
      add(ws, e) {
        if ((e.type !== 'impression' && e.type !== 'serving') || e.type !== def.event_type) return;
        windows.at(ws).add(e.model_version);
      },
      close(ws) {
        const counts = windows.take(ws);
        if (counts.total < Math.max(1, def.min_events)) return [];
        for (const [v] of counts.entries()) if (!known.has(v) && known.size < def.max_versions) known.set(v, { present: 0, absent: 0 });
        const shares = new Map<string, number>();
        const reported = new Set<string>();
        for (const [v, k] of known) {
          const n = counts.get(v);
          if (n === 0 && k.absent + 1 >= def.retire_after) {
            known.delete(v);
            continue;
          }
          k.absent = n === 0 ? k.absent + 1 : 0;
          if (n > 0) k.present++;
          shares.set(v, n / counts.total);
          if (k.present >= def.establish_after) reported.add(v);
        }
        const evidence: EvidenceItem[] = [...shares]
          .map(([v, share]) => ({ name: `model_version=${v}`, value: share, reference: previous.get(v) ?? 0, note: `${pct(share)} of traffic (previous window ${pct(previous.get(v) ?? 0)})` }))
          .sort((a, b) => Math.abs(b.value - (b.reference ?? 0)) - Math.abs(a.value - (a.reference ?? 0)) || b.value - a.value);
        const mix = [...shares].sort((a, b) => b[1] - a[1]).map(([v, s]) => `${v} ${pct(s)}`).join(', ');
        previous = shares;
        const out: Observation[] = [];
        for (const [v, share] of shares) {
          if (!reported.has(v)) continue;
          out.push({
            labels: { model_version: v },
            value: share,
            details: { events: counts.total, events_of_version: counts.get(v), mix: Object.fromEntries(shares), ...(counts.capped ? { events_of_untracked_versions: counts.overflow } : {}) },
            summary: `${v} has ${pct(share)} of traffic; now ${mix}`,
            evidence,
          });
        }
        return out;
      },
    };
  },
};
