import { median } from 'simple-statistics';
import type { FaultKind } from '../../demo/faults';
import type { LabelledFault } from './corpus';

const MIN = 60_000;
const WEEK = 7 * 24 * 60 * MIN;

/** ScoredCheck: a check as the scorer sees it. `windowMs` is its evaluation window (or interval). */
export interface ScoredCheck {
  name: string;
  kind: string;
  windowMs: number;
  /** the fault kinds it is meant to catch; 'any' for a kind the benchmark has no mapping for */
  catches: FaultKind[] | 'any';
}

/** FiredAlert: one `fired` transition of an alert, at the evaluation time it fired. */
export interface FiredAlert {
  check: string;
  at: number;
  labels: Record<string, string>;
}

export interface ScoreOptions {
  /** a fault counts as detected by an alert fired up to this many of the check's windows after its end */
  graceWindows: number;
  /** the fault-free weeks scored for false alarms */
  clean: { from: number; to: number };
  /** the fault weeks, where alerts matching no fault are counted as stray */
  faulted: { from: number; to: number };
  /** kinds whose effect is a step change, held to the delay target; the others (a starved item) develop slowly */
  sharpKinds: readonly FaultKind[];
}

export interface Detection {
  fault: LabelledFault;
  /** ms from the fault's start to the first alert of the check that matched it; undefined: missed */
  delayMs?: number;
}

export interface CheckScore {
  check: ScoredCheck;
  detections: Detection[];
  /** alerts fired in the fault-free weeks, divided by their number of weeks */
  falseAlarmsPerWeek: number;
  falseAlarms: number;
  /** alerts fired in the fault weeks outside every fault (of any kind) ± grace */
  stray: number;
  /** median delay of the detected faults in minutes, and in windows of the check */
  medianDelayMin?: number;
  medianDelayWindows?: number;
}

/** catchesFault: whether the check is meant to catch faults of this kind. */
export function catchesFault(c: ScoredCheck, kind: FaultKind): boolean {
  return c.catches === 'any' || c.catches.includes(kind);
}

/**
 * scoreChecks matches fired alerts with the labelled faults, per check:
 *  - a fault the check is meant to catch is detected when an alert of the check fires in
 *    [start, end + graceWindows·window]; its delay is from the fault's start to the first such alert;
 *  - every alert fired in the fault-free weeks is a false alarm (they hold no fault);
 *  - an alert fired in the fault weeks outside every fault ± grace (before the start as well as
 *    after the end) is stray, reported apart because a fault's aftermath can cause it.
 */
export function scoreChecks(checks: ScoredCheck[], faults: LabelledFault[], alerts: FiredAlert[], o: ScoreOptions): CheckScore[] {
  const cleanWeeks = (o.clean.to - o.clean.from) / WEEK;
  return checks.map((check) => {
    const fired = alerts.filter((a) => a.check === check.name).map((a) => a.at).sort((a, b) => a - b);
    const grace = o.graceWindows * check.windowMs;
    const detections = faults
      .filter((f) => catchesFault(check, f.kind))
      .map((fault): Detection => {
        const first = fired.find((t) => t >= fault.startsAt && t <= fault.endsAt + grace);
        return first === undefined ? { fault } : { fault, delayMs: first - fault.startsAt };
      });
    const falseAlarms = fired.filter((t) => t >= o.clean.from && t < o.clean.to).length;
    const stray = fired.filter(
      (t) => t >= o.faulted.from && t < o.faulted.to && !faults.some((f) => t >= f.startsAt - grace && t <= f.endsAt + grace),
    ).length;
    const delays = detections.flatMap((d) => (d.delayMs === undefined ? [] : [d.delayMs]));
    const med = delays.length ? median(delays) : undefined;
    return {
      check,
      detections,
      falseAlarms,
      falseAlarmsPerWeek: cleanWeeks > 0 ? falseAlarms / cleanWeeks : 0,
      stray,
      ...(med !== undefined ? { medianDelayMin: med / MIN, medianDelayWindows: med / check.windowMs } : {}),
    };
  });
}

/** recallOf: detected ÷ meant-to-catch among the detections that pass `keep` (undefined when none). */
export function recallOf(ds: Detection[], keep: (d: Detection) => boolean = () => true): { detected: number; total: number; recall?: number } {
  const sel = ds.filter(keep);
  const detected = sel.filter((d) => d.delayMs !== undefined).length;
  return { detected, total: sel.length, ...(sel.length ? { recall: detected / sel.length } : {}) };
}

export interface Targets {
  /** every fault of at least this size is detected */
  moderateSize: number;
  maxFalseAlarmsPerWeek: number;
  /** median delay of the sharp faults of at least moderate size, in windows */
  maxDelayWindows: number;
}

export interface TargetVerdict {
  recall: boolean | undefined;
  falseAlarms: boolean;
  delay: boolean | undefined;
  /** median delay over the detected sharp faults of at least moderate size, in windows */
  sharpDelayWindows?: number;
}

/** judgeTargets: which targets a check meets (undefined: the target does not apply — no such faults). */
export function judgeTargets(s: CheckScore, t: Targets, sharpKinds: readonly FaultKind[]): TargetVerdict {
  const moderate = recallOf(s.detections, (d) => d.fault.size >= t.moderateSize);
  const sharp = s.detections.filter((d) => d.fault.size >= t.moderateSize && sharpKinds.includes(d.fault.kind) && d.delayMs !== undefined);
  const sharpDelay = sharp.length ? median(sharp.map((d) => d.delayMs!)) / s.check.windowMs : undefined;
  const anySharp = s.detections.some((d) => sharpKinds.includes(d.fault.kind));
  return {
    recall: moderate.recall === undefined ? undefined : moderate.recall === 1,
    falseAlarms: s.falseAlarmsPerWeek <= t.maxFalseAlarmsPerWeek,
    delay: !anySharp ? undefined : sharpDelay === undefined ? false : sharpDelay <= t.maxDelayWindows,
    ...(sharpDelay !== undefined ? { sharpDelayWindows: sharpDelay } : {}),
  };
}
