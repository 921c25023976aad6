import type { RecEvent } from '../events/contract';
import { HorizonSampler } from '../util/horizon-sampler';
import { RecentTable } from '../util/recent-table';

/** what RecentKeys.seen says of a key: not judged (sampled out by the HorizonSampler, or let in too recently to tell) */
export const SKIPPED = 0;
/** …: not seen within the look-back */
export const NEW = 1;
/** …: seen within the look-back */
export const REPEATED = 2;
export type Seen = typeof SKIPPED | typeof NEW | typeof REPEATED;

/**
 * RecentKeys is a look-back set of event identities: was this key seen within the last
 * `lookbackMs` of event time? Bounded: a RecentTable of the last `maxKeys` keys (up to twice as
 * many), two 32-bit hashes and a timestamp each, never a map growing with the stream. With
 * sampling, when `maxKeys` keys come faster than the look-back, a HorizonSampler keeps the keys of
 * 1 request in 2, 4, … so that the table still covers the whole look-back; the others are SKIPPED.
 *
 *   recent.key().add(a).add(b); const verdict = recent.seen(e.ts);
 */
export class RecentKeys {
  private readonly table: RecentTable;
  private readonly sampler: HorizonSampler;

  constructor(
    private readonly lookbackMs: number,
    maxKeys: number,
    sampling = false,
  ) {
    this.table = new RecentTable(maxKeys, { ts: true, earlyWithinMs: lookbackMs });
    this.sampler = new HorizonSampler(maxKeys, lookbackMs, sampling);
  }

  /** keys in the table (some may be older than the look-back) */
  get size(): number {
    return this.table.size;
  }

  /** keys dropped while still within the look-back, because the table was full */
  get evictedEarly(): number {
    return this.table.evictedEarly;
  }

  /** the share of keys judged now (1 without sampling) */
  get sampleRate(): number {
    return this.sampler.rate;
  }

  /** key starts the key of the next `seen`: add its parts (strings or numbers) to what this returns */
  key(): RecentTable {
    return this.table.key();
  }

  /** seen records the key built with key()… at event time ts, and says whether it is a repeat within the look-back */
  seen(ts: number): Seen {
    const t = this.table;
    const s = this.sampler;
    t.note(ts);
    const sample = t.sample();
    if (!s.remembers(sample)) return SKIPPED;
    const slot = t.findOrAdd();
    if (!t.added) {
      if (ts - t.ts(slot) <= this.lookbackMs) return s.judges(sample) ? REPEATED : SKIPPED;
      t.setTs(t.insert(), ts); // seen before the look-back: remembered anew, in the young generation
    } else t.setTs(slot, ts);
    s.kept(ts);
    return s.judges(sample) ? NEW : SKIPPED;
  }
}

/**
 * addEventKey adds an event's identity to a key being built — the type and the ids that make one
 * logged fact (a request showing an item to a user, a user's action on it, one serving call, one
 * item record), and with matchTs its timestamp — without building a string. An event with a
 * request_id is anchored on it: a request's serving call, impressions and engagements are looked up
 * side by side in the table (one cache line and page for a slate instead of one each).
 */
export function addEventKey(k: RecentTable, e: RecEvent, matchTs: boolean): RecentTable {
  switch (e.type) {
    case 'impression':
      k.add(e.request_id).anchor().add('i').add(e.item_id).add(e.user_id);
      break;
    case 'engagement':
      if (e.request_id) k.add(e.request_id).anchor();
      else k.add('');
      k.add('e').add(e.item_id).add(e.user_id).add(e.action);
      break;
    case 'serving':
      k.add(e.request_id).anchor().add('s').add(e.user_id);
      break;
    case 'item':
      k.add('t').add(e.item_id).add(e.launch_ts).add(e.cohort ?? '');
      break;
  }
  return matchTs ? k.add(e.ts) : k;
}
