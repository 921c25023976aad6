import { z } from 'zod';
import { durationSchema } from '../config/duration';
import { EVENT_TYPES, type EventType, type RecEvent } from '../events/contract';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem, type Observation } from './kind';
import { addEventKey, RecentKeys, REPEATED, SKIPPED } from './recent-keys';
import { WindowedState } from './windowed';
import { RecentCache } from '../util/recent-cache';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('duplicate-rate'),
  /** event types to watch; each is its own series (label event_type) */
  event_types: z
    .array(z.enum(EVENT_TYPES as [EventType, ...EventType[]]))
    .min(1)
    .default(['impression', 'engagement', 'serving']),
  /** how far back (event time) an earlier copy is remembered */
  lookback: durationSchema.default(3_600_000),
  /** at least this many recent event keys are remembered (up to twice as many; two hashes and a time each); the oldest go first */
  max_keys: z.number().int().positive().default(200_000),
  /**
   * auto: when max_keys keys come faster than the look-back, remember the keys of 1 request in 2, 4, …
   * (by a hash of the request id) so the whole look-back is covered, and measure the share over
   * them; off: remember every key, the oldest forgotten first (a look-back cut short at high volume)
   */
  sampling: z.enum(['auto', 'off']).default('auto'),
  /** also require the same `ts`: only exact re-deliveries count, not a user clicking twice */
  match_ts: z.boolean().default(false),
  /** windows with fewer events of a type (judged ones, when sampled) are too small to judge */
  min_events: z.number().int().nonnegative().default(50),
});
export type DuplicateRateDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * segment: where a duplicate came from, for the evidence (the producer that double-sends), as two
 * values (the second may be empty), read without building a string or an array per event.
 */
function segmentFirst(e: RecEvent): string {
  switch (e.type) {
    case 'impression':
    case 'serving':
      return e.surface ?? 'none';
    case 'engagement':
      return e.action;
    case 'item':
      return e.cohort ?? 'none';
  }
}
function segmentSecond(e: RecEvent): string {
  return e.type === 'impression' || e.type === 'serving' ? e.model_version : '';
}

const SEGMENT_NAMES: Record<EventType, [string, string]> = {
  impression: ['surface', 'model_version'],
  serving: ['surface', 'model_version'],
  engagement: ['action', ''],
  item: ['cohort', ''],
};

/** at most this many distinct segments are counted per window and type */
const MAX_SEGMENTS = 50;
const EVIDENCE_ITEMS = 5;

interface TypeCounts {
  events: number;
  /** events judged (all of them unless sampled), and the duplicates among them */
  judged: number;
  duplicates: number;
  /** segment (first value → second value) → [judged events, duplicates] */
  segments: Map<string, Map<string, [number, number]>>;
  segmentCount: number;
  /** the counts of the last few segments seen, looked at before the maps (events interleave surfaces and versions) */
  recentSegments: RecentCache<[number, number]>;
}

const RECENT_SEGMENTS = 4;

/**
 * duplicate-rate: per window and event type, the share of events that repeat an earlier one (same
 * type and ids) seen within the look-back — a producer retrying without idempotence, a consumer
 * re-reading a partition, a logging call made twice.
 */
export const duplicateRateKind: CheckKind<DuplicateRateDefinition> = {
  kind: 'duplicate-rate',
  description: 'share of events per window that repeat an earlier event (same type and ids) within a bounded look-back',
  mode: 'streaming',
  schema: schema as z.ZodType<DuplicateRateDefinition>,
  create(def) {
    const recent = new RecentKeys(def.lookback, def.max_keys, def.sampling === 'auto');
    const windows = new WindowedState(() => new Map<EventType, TypeCounts>());
    /** the event's segment [first, second], reused */
    const segment = ['', ''];
    return {
      mode: 'streaming',
      eventTypes: def.event_types,
      windowMs: def.window,
      add(ws, e) {
        const agg = windows.at(ws);
        let c = agg.get(e.type);
        if (!c) agg.set(e.type, (c = { events: 0, judged: 0, duplicates: 0, segments: new Map(), segmentCount: 0, recentSegments: new RecentCache(RECENT_SEGMENTS) }));
        addEventKey(recent.key(), e, def.match_ts);
        const seen = recent.seen(e.ts);
        c.events++;
        if (seen === SKIPPED) return;
        const dup = seen === REPEATED;
        c.judged++;
        if (dup) c.duplicates++;
        const first = (segment[0] = segmentFirst(e));
        const second = (segment[1] = segmentSecond(e));
        let s = c.recentSegments.get(segment);
        let inner: Map<string, [number, number]> | undefined;
        if (!s) {
          inner = c.segments.get(first);
          s = inner?.get(second);
          if (s) c.recentSegments.set(segment, s);
        }
        if (s) {
          s[0]++;
          if (dup) s[1]++;
        } else if (c.segmentCount < MAX_SEGMENTS) {
          if (!inner) c.segments.set(first, (inner = new Map()));
          inner.set(second, (s = [1, dup ? 1 : 0]));
          c.recentSegments.set(segment, s);
          c.segmentCount++;
        }
      },
      close(ws) {
        const agg = windows.take(ws);
        const out: Observation[] = [];
        for (const type of def.event_types) {
          const c = agg.get(type);
          if (!c || c.judged < def.min_events) continue;
          const [n1, n2] = SEGMENT_NAMES[type];
          const segments: Array<[string, [number, number]]> = [];
          for (const [first, inner] of c.segments) {
            for (const [second, counts] of inner) segments.push([`${n1}=${first}${n2 ? `, ${n2}=${second}` : ''}`, counts]);
          }
          const evidence: EvidenceItem[] = segments
            .filter(([, [, d]]) => d > 0)
            .sort((a, b) => b[1][1] - a[1][1] || a[0].localeCompare(b[0]))
            .slice(0, EVIDENCE_ITEMS)
            .map(([name, [n, d]]) => ({ name, value: d / n, note: `${d} of ${n} ${c.judged < c.events ? 'sampled ' : ''}events repeat earlier ones` }));
          out.push({
            labels: { event_type: type },
            value: c.duplicates / c.judged,
            details: {
              events: c.events,
              ...(c.judged < c.events ? { judged_events: c.judged, sample_rate: recent.sampleRate } : {}),
              duplicates: c.duplicates,
              remembered_keys: recent.size,
              evicted_early: recent.evictedEarly,
            },
            evidence,
          });
        }
        return out;
      },
    };
  },
};
