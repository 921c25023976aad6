import { z } from 'zod';
import { EVENT_TYPES, type RecEvent } from '../events/contract';
import { LabelSets } from '../util/label-sets';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type Observation } from './kind';
import { WindowedState } from './windowed';

/** event fields that are series labels of their own */
const VOLUME_LABELS = ['surface', 'model_version', 'action', 'cohort'] as const;
/**
 * Any other field is read from where the event contract keeps free-form data (the decoder keeps no
 * unknown top-level field): a serving event's `context.<name>` feature, an item's `attributes.<name>`.
 */
const EXTRA_FIELD = /^(context|attributes)\.[^.\s]+$/;
const EXTRA_FIELD_TYPE = { context: 'serving', attributes: 'item' } as const;
/** label values longer than this are cut, so one odd value cannot bloat every exported series */
const MAX_VALUE_LENGTH = 64;

const byEntry = z.union([
  z.enum(VOLUME_LABELS),
  z.string().regex(EXTRA_FIELD, `expected one of ${VOLUME_LABELS.join(', ')}, context.<feature> (serving events) or attributes.<name> (item events)`),
]);

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...streamingFields,
    kind: z.literal('volume'),
    event_type: z.enum(EVENT_TYPES as [string, ...string[]]),
    /** fields of the event to count separately, e.g. [surface] or [surface, context.country] */
    by: z.array(byEntry).default([]),
    /** at most this many distinct series are tracked; past that, the one seen least recently is dropped */
    max_series: z.number().int().positive().default(200),
  })
  .superRefine((d, ctx) => {
    d.by.forEach((field, i) => {
      const place = field.split('.')[0] as keyof typeof EXTRA_FIELD_TYPE;
      const needs = EXTRA_FIELD_TYPE[place];
      if (field.includes('.') && needs !== d.event_type) {
        ctx.addIssue({ code: 'custom', path: ['by', i], message: `${field} is only in ${needs} events, but event_type is ${d.event_type}` });
      }
    });
  });
export type VolumeDefinition = z.infer<typeof schema> & CheckDefinition;

/** labelValue: a field's value as a label: 'none' when absent, JSON for objects, cut to a bounded length. */
export function labelValue(v: unknown): string {
  if (v === undefined || v === null) return 'none';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > MAX_VALUE_LENGTH ? s.slice(0, MAX_VALUE_LENGTH) : s;
}

/** fieldReader: how to read a `by` entry from an event: a top-level field, `context.<name>` or `attributes.<name>`. */
function fieldReader(field: string): (e: RecEvent) => unknown {
  const dot = field.indexOf('.');
  if (dot < 0) return (e) => (e as unknown as Record<string, unknown>)[field];
  const place = field.slice(0, dot);
  const name = field.slice(dot + 1);
  return (e) => ((e as unknown as Record<string, unknown>)[place] as Record<string, unknown> | undefined)?.[name];
}

/**
 * volume counts the events of one type per window, optionally per label value. The fixed labels
 * (surface, model_version, action, cohort) are exported as themselves; other fields go into the
 * `segment` label as `field=value` pairs, so every series keeps the one fixed label set.
 */
export const volumeKind: CheckKind<VolumeDefinition> = {
  kind: 'volume',
  description: 'events per window of one type, optionally per surface / model version / action / cohort / context.<feature> / attributes.<name>',
  mode: 'streaming',
  schema: schema as unknown as z.ZodType<VolumeDefinition>,
  create(def) {
    const readers = def.by.map(fieldReader);
    const sets = new LabelSets<RecEvent>(def.by, def.max_series, (e, i) => labelValue(readers[i](e)));
    const windows = new WindowedState<number[]>(() => []);
    const dotted = def.by.map((f) => f.includes('.'));
    /** a set's series labels: the fixed ones as themselves, the others as `segment` pairs */
    const seriesLabels = (values: Record<string, string>): Record<string, string> => {
      const out: Record<string, string> = { event_type: def.event_type };
      const segment: string[] = [];
      def.by.forEach((f, i) => (dotted[i] ? segment.push(`${f}=${values[f]}`) : (out[f] = values[f])));
      if (segment.length) out.segment = segment.join(',');
      return out;
    };
    return {
      mode: 'streaming',
      eventTypes: [def.event_type as RecEvent['type']],
      windowMs: def.window,
      add(ws, e) {
        const counts = windows.at(ws);
        const id = sets.idOf(e);
        counts[id] = (counts[id] || 0) + 1;
      },
      close(ws) {
        const counts = windows.take(ws);
        // Every series seen before reports, with zero when it went quiet: that zero is the incident.
        return [...sets.entries()].map(([id, values]): Observation => ({ labels: seriesLabels(values), value: counts[id] || 0 }));
      },
    };
  },
};
