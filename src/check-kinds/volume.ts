import { z } from 'zod';
import { EVENT_TYPES, type RecEvent } from '../events/contract';
import { commonCheckFields, labelsKey, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { SeriesIndex, WindowedState } from './windowed';

const VOLUME_LABELS = ['surface', 'model_version', 'action', 'cohort'] as const;

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('volume'),
  event_type: z.enum(EVENT_TYPES as [string, ...string[]]),
  /** labels of the event to count separately, e.g. [surface] */
  by: z.array(z.enum(VOLUME_LABELS)).default([]),
  /** at most this many distinct series are tracked; later ones are counted in the total only */
  max_series: z.number().int().positive().default(200),
});
export type VolumeDefinition = z.infer<typeof schema> & CheckDefinition;

/** volume counts the events of one type per window, optionally per label value. */
export const volumeKind: CheckKind<VolumeDefinition> = {
  kind: 'volume',
  description: 'events per window of one type, optionally per surface / model version / action / cohort',
  mode: 'streaming',
  schema: schema as z.ZodType<VolumeDefinition>,
  create(def) {
    const seen = new SeriesIndex(def.max_series);
    const windows = new WindowedState(() => new Map<string, { labels: Record<string, string>; count: number }>());
    const labelsOf = (e: RecEvent): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const l of def.by) out[l] = String((e as unknown as Record<string, unknown>)[l] ?? 'none');
      return out;
    };
    return {
      mode: 'streaming',
      eventTypes: [def.event_type as RecEvent['type']],
      windowMs: def.window,
      add(ws, e) {
        const labels = labelsOf(e);
        const key = labelsKey(labels);
        const agg = windows.at(ws);
        const cur = agg.get(key);
        if (cur) cur.count++;
        else {
          agg.set(key, { labels, count: 1 });
          seen.add(key, labels);
        }
      },
      close(ws) {
        const agg = windows.take(ws);
        const out: Observation[] = [];
        // Every series seen before reports, with zero when it went quiet: that zero is the incident.
        for (const [key, labels] of seen.entries()) {
          out.push({ labels: { event_type: def.event_type, ...labels }, value: agg.get(key)?.count ?? 0 });
        }
        return out;
      },
    };
  },
};
