import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';
import { poissonLowerTail, quantileBandSorted, type QuantileBand } from '../cold-start/band';
import { cumulative, CurveBook, type CurveMeasure, type LaunchCurve } from '../cold-start/curves';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind, type EvidenceItem, type Observation } from './kind';

const HOUR = 3_600_000;

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...streamingFields,
    kind: z.literal('launch-curve'),
    /** what the curve counts: impressions (exposure) or engagements */
    measure: z.enum(['impressions', 'engagements']).default('impressions'),
    /** width of an age bucket of the curve */
    bucket: durationSchema.default(HOUR),
    /** how long after launch an item is followed (curve span = horizon / bucket buckets) */
    horizon: durationSchema.default(72 * HOUR),
    /** past launches this recent are the reference; older curves are forgotten */
    history: durationSchema.default(28 * 86_400_000),
    /** at most this many curves are kept (earliest launch forgotten first) */
    max_items: z.number().int().positive().default(2_000),
    /** comparable past launches needed before an item is judged (quiet until then) */
    min_launches: z.number().int().min(2).default(5),
    /** compare with the whole stream's launches when the item's cohort has too few */
    pool_cohorts: z.boolean().default(true),
    /** the band of comparable launches at the same age: this quantile (its low edge) and 1 − it */
    band_quantile: z.number().gt(0).lt(0.5).default(0.1),
    /** under-exposed: below this fraction of the band's low edge… */
    min_ratio: z.number().gt(0).lt(1).default(0.2),
    /** …and that shortfall is this unlikely by chance (Poisson lower tail at min_ratio × low edge) */
    alpha: z.number().gt(0).lt(1).default(0.001),
    list_items: z.number().int().positive().default(10),
    /** at most this many under-exposed items get their own alert (the furthest below first); the rest are counted */
    max_item_alerts: z.number().int().positive().default(20),
  })
  .refine((d) => d.bucket > 0 && d.horizon >= d.bucket, { message: 'horizon must be at least one bucket', path: ['horizon'] })
  .refine((d) => d.horizon / d.bucket <= 2_000, { message: 'horizon / bucket must be at most 2000 buckets', path: ['bucket'] });
export type LaunchCurveDefinition = z.infer<typeof schema> & CheckDefinition;

/** UnderExposed: one judged item far below its comparable launches at the same age. */
interface Judged {
  item_id: string;
  cohort: string;
  age_ms: number;
  value: number;
  band: QuantileBand;
  /** 'cohort' or 'all': which launches it was compared with */
  compared_with: string;
  under: boolean;
  /** the other measure (engagements when judging impressions) at the same age, and the comparable median */
  other: { value: number; expected: number };
}

/**
 * launch-curve follows each new item's cumulative exposure (or engagement) by age since launch and
 * compares it, at the same age, with comparable earlier launches (same cohort, else all): an item
 * far below the cohort's median is under-exposed. Each under-exposed item is its own series (label
 * `segment=item=<id>`, value 1, then 0 once it is no longer under-exposed or past its horizon), so a
 * second starved launch pages while the first one's alert is still firing; the count of
 * under-exposed items, naming them with what comparable launches had, is an informational series.
 */
export const launchCurveKind: CheckKind<LaunchCurveDefinition> = {
  kind: 'launch-curve',
  description: 'new items whose exposure since launch is far below comparable launches at the same age',
  mode: 'streaming',
  schema: schema as unknown as z.ZodType<LaunchCurveDefinition>,
  create(def) {
    const book = new CurveBook(def.bucket, Math.round(def.horizon / def.bucket), def.max_items);
    const other = otherMeasure(def.measure);
    let streamStart = Infinity;
    /** items found under-exposed: not a norm to compare others with */
    const flagged = new Set<string>();
    /** items whose own series read 1 at the last close: they report 0 once when they recover */
    let reported = new Set<string>();
    return {
      mode: 'streaming',
      eventTypes: ['item', 'impression', 'engagement'],
      windowMs: def.window,
      add(_ws, e) {
        if (e.ts < streamStart) streamStart = e.ts;
        if (e.type === 'item') {
          // a curve needs every count since launch: an item first seen well after its launch (a
          // catalogue dump after a restart) would look under-exposed, so it is not followed
          if (e.launch_ts >= e.ts - def.bucket && e.launch_ts >= streamStart) book.track(e.item_id, e.launch_ts, e.cohort ?? '');
        } else if (e.type === 'impression') book.count(e.item_id, e.ts, 'impressions');
        else if (e.type === 'engagement') book.count(e.item_id, e.ts, 'engagements');
      },
      close(_ws, we) {
        book.forgetLaunchedBefore(we - def.history);
        const judged = judgeAll(book, we, def, flagged);
        for (const j of judged) if (j.under) flagged.add(j.item_id);
        for (const id of flagged) if (!book.has(id)) flagged.delete(id);
        const under = judged.filter((j) => j.under).sort((a, b) => a.value / (a.band.median || 1) - b.value / (b.band.median || 1) || (a.item_id < b.item_id ? -1 : 1));
        const named = under.slice(0, def.list_items);
        const unit = def.measure;
        const evidenceOf = (j: Judged): EvidenceItem => ({
          name: `item=${j.item_id}`,
          value: j.value,
          reference: j.band.median,
          note: `${j.value} ${unit} in its first ${formatDuration(j.age_ms)}; ${j.compared_with === 'cohort' ? `cohort ${j.cohort || '(none)'}` : 'all launches'} had ${fmt(j.band.median)} (p${pct(def.band_quantile)}–p${pct(1 - def.band_quantile)} ${fmt(j.band.low)}–${fmt(j.band.high)}, ${j.band.n} launches); ${j.other.value} ${other} (they had ${fmt(j.other.expected)})`,
        });
        const detailOf = (j: Judged) => ({
          item_id: j.item_id, cohort: j.cohort || undefined, age_hours: j.age_ms / HOUR, value: j.value, expected: j.band.median, band: [j.band.low, j.band.high],
          compared_with: j.compared_with, launches: j.band.n, [other]: j.other.value, [`${other}_expected`]: j.other.expected,
        });
        const evidence = named.map(evidenceOf);
        const more = under.length > named.length ? ` and ${under.length - named.length} more` : '';
        const out: Observation[] = [
          {
            labels: {},
            value: under.length,
            informational: true,
            details: {
              measure: unit,
              new_items_judged: judged.length,
              under_exposed_share: judged.length ? under.length / judged.length : 0,
              under_exposed: named.map(detailOf),
            },
            evidence,
            summary: under.length
              ? `${under.length} new item(s) far below comparable launches at the same age (${unit}): ${named.map((j) => `${j.item_id} ${j.value} vs ${fmt(j.band.median)} in ${formatDuration(j.age_ms)}`).join(', ')}${more}`
              : undefined,
          },
        ];
        const alerting = new Set<string>();
        for (const j of under.slice(0, def.max_item_alerts)) {
          alerting.add(j.item_id);
          out.push({
            labels: { segment: `item=${j.item_id}` },
            value: 1,
            details: { measure: unit, ...detailOf(j), under_exposed_total: under.length },
            evidence: [evidenceOf(j)],
            summary: `new item far below comparable launches at the same age (${unit}): ${j.item_id} ${j.value} vs ${fmt(j.band.median)} in ${formatDuration(j.age_ms)}${under.length > 1 ? `; ${under.length} new items under-exposed in all` : ''}`,
          });
        }
        // An item no longer under-exposed (or past its horizon) reports 0 once, so its alert resolves.
        for (const id of reported) if (!alerting.has(id)) out.push({ labels: { segment: `item=${id}` }, value: 0 });
        reported = alerting;
        return out;
      },
    };
  },
};

/** judgeAll compares every item still inside its curve's span with the comparable launches. */
function judgeAll(book: CurveBook, t: number, def: LaunchCurveDefinition, flagged: ReadonlySet<string>): Judged[] {
  const all: Launch[] = [...book.values()].map((c) => ({ c, reached: book.reached(c, t), cum: cumulative(c[def.measure]), cumOther: cumulative(c[otherMeasure(def.measure)]) }));
  const cohorts = new Map<string, Launch[]>();
  const norm = all.filter((l) => !flagged.has(l.c.id));
  for (const l of norm) {
    const g = cohorts.get(l.c.cohort);
    if (g) g.push(l);
    else cohorts.set(l.c.cohort, [l]);
  }
  const refSets = new Map([...cohorts].map(([k, g]) => [k, new ReferenceSet(g, def.min_launches)]));
  const pooled = new ReferenceSet(norm, def.min_launches);
  const out: Judged[] = [];
  for (const l of all) {
    if (l.c.launchTs > t || l.reached >= book.buckets) continue; // not launched yet, or past its horizon
    const pick = (refs: ReferenceSet, label: string) => {
      const b = refs.comparableAge(l);
      return b < 0 ? undefined : { b, band: refs.bandWithout(l, b, def.band_quantile), otherMedian: refs.bandWithout(l, b, def.band_quantile, 'cumOther').median, label };
    };
    const cohort = refSets.get(l.c.cohort);
    const ref = (cohort && pick(cohort, 'cohort')) ?? (def.pool_cohorts ? pick(pooled, 'all') : undefined);
    if (!ref) continue; // quiet while learning: too few comparable launches
    const value = l.cum[ref.b];
    const floor = ref.band.low * def.min_ratio;
    const under = value < floor && poissonLowerTail(value, floor) < def.alpha;
    out.push({
      item_id: l.c.id, cohort: l.c.cohort, age_ms: (ref.b + 1) * book.bucketMs, value, band: ref.band, compared_with: ref.label, under,
      other: { value: l.cumOther[ref.b], expected: ref.otherMedian },
    });
  }
  return out;
}

interface Launch {
  c: LaunchCurve;
  reached: number;
  /** cumulative counts of the judged measure, and of the other one */
  cum: Float64Array;
  cumOther: Float64Array;
}

function otherMeasure(m: CurveMeasure): CurveMeasure {
  return m === 'impressions' ? 'engagements' : 'impressions';
}

/**
 * ReferenceSet answers, for each member, "which age and which band do the *other* members give":
 * ages sorted once and the values at each age sorted once (cached), with the member itself taken
 * out, so judging n items costs O(n²) at worst instead of O(n² log n).
 */
class ReferenceSet {
  private readonly reachedDesc: number[];
  private readonly sortedAt = new Map<string, number[]>();
  private readonly ids: Set<Launch>;

  constructor(
    private readonly members: Launch[],
    private readonly minLaunches: number,
  ) {
    this.reachedDesc = members.map((m) => m.reached).sort((a, b) => b - a);
    this.ids = new Set(members);
  }

  /**
   * comparableAge: the age bucket at which to compare `self`: its latest whole bucket that at least
   * `minLaunches` other members have also lived through, or -1 when there is none. With a long
   * history that is its current age; early on (few older launches) it is a younger age that later
   * launches have reached too.
   */
  comparableAge(self: Launch): number {
    const k = this.minLaunches;
    const member = this.ids.has(self);
    if (self.reached < 1 || this.members.length - (member ? 1 : 0) < k) return -1;
    const L = this.reachedDesc;
    // taking self out of the descending list shifts the k-th largest when self is among the first k
    const kth = member && L.indexOf(self.reached) <= k - 1 ? L[k] : L[k - 1];
    return Math.min(self.reached, kth) - 1;
  }

  /** bandWithout: the band of the cumulative counts at bucket b of the members (other than self) that reached it */
  bandWithout(self: Launch, b: number, q: number, of: 'cum' | 'cumOther' = 'cum'): QuantileBand {
    let sorted = this.sortedAt.get(`${of}@${b}`);
    if (!sorted) {
      sorted = this.members.filter((m) => m.reached > b).map((m) => m[of][b]).sort((x, y) => x - y);
      this.sortedAt.set(`${of}@${b}`, sorted);
    }
    const without = sorted.slice();
    if (this.ids.has(self)) without.splice(without.indexOf(self[of][b]), 1); // self has reached b: its value is there
    return quantileBandSorted(without, q);
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function pct(q: number): string {
  return String(Math.round(q * 100));
}
