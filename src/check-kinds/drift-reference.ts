import { z } from 'zod';
import { compareDistributions, mergeSorted, sortedCopy, type CompareOptions, type Comparison, type Sorted } from '../detectors/distribution';
import type { EvidenceItem } from './kind';

/**
 * driftFields: the reference and verdict settings shared by feature-drift and score-drift.
 * The reference is the trailing `reference_windows` windows (2 hours at 5 minutes), so a check is
 * judging after 2 hours on any stream; a day-ago reference would need a day and would compare with
 * yesterday's incident when incidents recur.
 */
export const driftFields = {
  /** values kept per window and series (a uniform sample beyond it), bounding memory */
  reservoir_size: z.number().int().min(10).default(300),
  /** how many earlier windows form the reference; judging starts once it is full */
  reference_windows: z.number().int().min(4).default(24),
  /** consecutive drifted windows after which the shift is accepted as the new normal and the reference restarts */
  relearn_after: z.number().int().min(1).default(24),
  /** values needed in the window and in the reference, else the window is not judged (NaN) */
  min_samples: z.number().int().min(5).default(200),
  /** significance level of the test (KS for numbers, χ² for categories) */
  alpha: z.number().gt(0).lt(1).default(0.01),
  /** how many drifting series an alert lists */
  evidence_top: z.number().int().min(0).default(5),
};

/** DriftVerdict: the value of one drift series for one window, with why. */
export interface DriftVerdict {
  /** the effect size when the window drifted, 0 when it did not, NaN when not judged */
  value: number;
  comparison: Comparison | null;
  /** why the window was not judged, or the comparison's basis */
  basis: string;
}

type Sample = number[] | string[];
/** a window as kept in the reference: numbers sorted once, categories as they came */
type Kept = Sorted | string[];

/**
 * DriftReference is one series' reference: the samples of its last `windows` windows. A window is
 * judged against the whole reference only if the reference is itself stable (its older and newer
 * halves do not drift from each other): a feature that follows the clock, like an hour-of-day,
 * changes inside any 2-hour reference and would otherwise page at every hour. A drifted window is
 * kept out of the reference, so an incident does not become normal; after `relearnAfter` drifted
 * windows in a row the shift is accepted and the reference restarts from the current window.
 */
export class DriftReference {
  private readonly ring: Kept[] = [];
  private driftedRun = 0;
  /** the last window was compared with the fallback, which could not judge it: not learned (see learn) */
  private unvouched = false;

  constructor(
    private readonly windows: number,
    private readonly relearnAfter: number,
  ) {}

  get ready(): boolean {
    return this.ring.length >= this.windows;
  }

  get size(): number {
    return this.ring.length;
  }

  /** join: the kept windows from..to as one sample (numbers merged in order, so no re-sorting) */
  private join(from: number, to: number): Sorted | string[] {
    const parts = this.ring.slice(from, to);
    if (parts[0] instanceof Float64Array) return mergeSorted(parts as Sorted[]);
    const out: string[] = [];
    for (const p of parts as string[][]) for (const v of p) out.push(v);
    return out;
  }

  /** judge compares `current` with this reference (or with `fallback`'s when this one is still learning). */
  judge(current: Sample, opts: CompareOptions, fallback?: DriftReference): DriftVerdict {
    const ref = this.ready || !fallback ? this : fallback;
    // A series still on the fallback (a new model version) learns only windows the fallback judged.
    this.unvouched = ref !== this && ref.ready;
    if (!ref.ready) {
      return { value: NaN, comparison: null, basis: `learning the reference: ${ref.size} of ${this.windows} windows` };
    }
    const half = Math.floor(ref.ring.length / 2);
    const older = ref.join(0, half);
    const newer = ref.join(half, ref.ring.length);
    const stability = compareDistributions(older, newer, opts);
    if (stability.drifted) {
      return { value: NaN, comparison: null, basis: `reference unstable (its halves differ: ${stability.basis}); not judged` };
    }
    const all = older instanceof Float64Array ? mergeSorted([older, newer as Sorted]) : [...older, ...(newer as string[])];
    const comparison = compareDistributions(all, typeof current[0] === 'number' ? sortedCopy(current as number[]) : current, opts);
    if (!comparison.judged) return { value: NaN, comparison, basis: comparison.basis };
    this.unvouched = false;
    const against = ref === this ? '' : ' against the reference of all series (none of its own yet)';
    return { value: comparison.drifted ? comparison.effect : 0, comparison, basis: comparison.basis + against };
  }

  /**
   * learn adds a window's sample unless it drifted; a long run of drifted windows restarts the
   * reference. A series judged against the fallback's reference (none of its own yet) does not learn
   * a window the fallback could not judge (too few values, an unstable reference): otherwise a bad
   * version whose windows are too thin to judge (a sign bug leaves few engagements) would build its
   * own reference out of them and, from then on, be compared with itself.
   */
  learn(current: Sample, drifted: boolean): void {
    const unvouched = this.unvouched;
    this.unvouched = false;
    if (current.length === 0 || unvouched) return;
    if (drifted) {
      if (++this.driftedRun < this.relearnAfter) return;
      this.ring.length = 0;
    }
    this.driftedRun = 0;
    this.ring.push(typeof current[0] === 'number' ? sortedCopy(current as number[]) : (current as string[]));
    if (this.ring.length > this.windows) this.ring.shift();
  }
}

/** topEvidence: the drifted series first, by effect, then the largest judged effects. */
export function topEvidence(entries: { name: string; verdict: DriftVerdict }[], top: number): EvidenceItem[] {
  return entries
    .filter((e) => e.verdict.comparison?.judged)
    .sort((a, b) => rank(b.verdict) - rank(a.verdict))
    .slice(0, top)
    .map(({ name, verdict }) => {
      const c = verdict.comparison!;
      return { name, value: c.effect, reference: null, note: c.basis };
    });
}

function rank(v: DriftVerdict): number {
  const c = v.comparison!;
  return (c.drifted ? 1e9 : 0) + (Number.isFinite(c.effect) ? c.effect : 1e8);
}
