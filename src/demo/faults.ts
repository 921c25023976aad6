/**
 * Faults the demo world can inject, scheduled in simulated time relative to the world's start. Each
 * one imitates a real incident class from the RecSysOps paper, so every built-in check has something
 * to find and `diagnose` has both data problems and model problems to tell apart.
 */
export const FAULT_KINDS = ['volume-drop', 'feature-bug', 'bad-model', 'starved-item', 'latency-spike', 'stale-cache', 'stall'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** FAULT_DESCRIPTIONS says what each fault does, for logs and `--help`. */
export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  'volume-drop': "impression logging of surface 'home' loses ~85% of events",
  'feature-bug': 'user_item_affinity becomes null and item_emb_* / user_emb_dot become 0 for every candidate',
  'bad-model': 'serving switches to model_version v2 (affinity sign bug)',
  'starved-item': 'a new item (item-starved-<n>) launches with a broken age feature; the model never ranks it',
  'latency-spike': 'serving latency ×6',
  'stale-cache': "logged scores and slates come from a cache filled for another user's request",
  stall: 'the event pipeline stops delivering: no event of any type arrives',
};

/**
 * FAULT_SIZE_EFFECTS says what `size` (0 < size ≤ 1, default 1) scales for each fault kind, so a
 * benchmark can inject faults from barely visible to blatant. Size 1 is exactly the unsized effect.
 */
export const FAULT_SIZE_EFFECTS: Record<FaultKind, string> = {
  'volume-drop': "'home' loses size × 85% of its impressions",
  'feature-bug': 'a size share of requests has the broken features',
  'bad-model': 'a size share of requests is served by v2',
  'starved-item': 'none: an item is starved or it is not',
  'latency-spike': 'latency × (1 + 5·size)',
  'stale-cache': 'a size share of requests is answered from the stale cache',
  stall: 'a size share of the events is lost (1: nothing arrives)',
};

/** FaultSpec: one fault, `atMs` after the start (or after each repetition), lasting `durationMs`. */
export interface FaultSpec {
  kind: FaultKind;
  atMs: number;
  durationMs: number;
  /** 0 < size ≤ 1 scales the effect (FAULT_SIZE_EFFECTS); absent means 1, the full effect */
  size?: number;
}

/** FaultSchedule: the faults of one cycle; with `repeatEveryMs` the cycle repeats forever. */
export interface FaultSchedule {
  faults: FaultSpec[];
  repeatEveryMs?: number;
}

/** ActiveFault: one occurrence of a fault, in absolute simulated time. */
export interface ActiveFault {
  kind: FaultKind;
  /** which repetition of the schedule (0 for the first) */
  cycle: number;
  startsAt: number;
  endsAt: number;
  /** the starved item of a `starved-item` fault */
  itemId?: string;
  /** the spec's size when it set one (absent: the full effect) */
  size?: number;
}

/** faultSize: how strongly an active fault acts, 1 when its spec set no size. */
export function faultSize(f: ActiveFault): number {
  return f.size ?? 1;
}

export interface FaultTransition {
  at: number;
  phase: 'started' | 'ended';
  fault: ActiveFault;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * defaultFaultSchedule: one incident of each kind per simulated day, spaced so each alert can fire
 * and resolve before the next fault starts. The starved item stays starved; its fault is reported as
 * active for 7 days, the age at which a cold-start check stops tracking a new item.
 */
export function defaultFaultSchedule(): FaultSchedule {
  return {
    repeatEveryMs: DAY,
    faults: [
      { kind: 'starved-item', atMs: 1 * HOUR, durationMs: 7 * DAY },
      { kind: 'volume-drop', atMs: 3 * HOUR, durationMs: 1 * HOUR },
      { kind: 'feature-bug', atMs: 5 * HOUR, durationMs: 1 * HOUR },
      { kind: 'bad-model', atMs: 7 * HOUR, durationMs: 90 * MIN },
      { kind: 'latency-spike', atMs: 9.5 * HOUR, durationMs: 45 * MIN },
      { kind: 'stale-cache', atMs: 11 * HOUR, durationMs: 1 * HOUR },
    ],
  };
}

/** noFaults: a healthy world, for baselines. */
export function noFaults(): FaultSchedule {
  return { faults: [] };
}

/** starvedItemId names the item of the n-th `starved-item` occurrence so a user recognises it in alerts. */
export function starvedItemId(n: number): string {
  return `item-starved-${n}`;
}

/**
 * FaultTimeline answers "which faults are active at t" for a schedule anchored at the world's start.
 * Pure: it only does arithmetic on the schedule.
 */
export class FaultTimeline {
  private readonly period: number;
  private readonly longest: number;
  private readonly starvedOrdinal: number[];
  private readonly starvedPerCycle: number;

  constructor(
    readonly schedule: FaultSchedule,
    readonly startTime: number,
  ) {
    for (const f of schedule.faults) {
      if (!FAULT_KINDS.includes(f.kind)) throw new Error(`unknown fault kind "${f.kind}"; available: ${FAULT_KINDS.join(', ')}`);
      if (!(f.atMs >= 0) || !(f.durationMs >= 0)) throw new Error(`fault ${f.kind}: atMs and durationMs must be ≥ 0`);
      if (f.size !== undefined && !(f.size > 0 && f.size <= 1)) throw new Error(`fault ${f.kind}: size must be in (0, 1], got ${f.size}`);
    }
    this.period = schedule.repeatEveryMs && schedule.repeatEveryMs > 0 ? schedule.repeatEveryMs : Infinity;
    this.longest = Math.max(0, ...schedule.faults.map((f) => f.atMs + f.durationMs));
    let n = 0;
    this.starvedOrdinal = schedule.faults.map((f) => (f.kind === 'starved-item' ? n++ : -1));
    this.starvedPerCycle = n;
  }

  /** occurrences lists every fault occurrence overlapping [from, to), in start order. */
  occurrences(from: number, to: number, kind?: FaultKind): ActiveFault[] {
    const out: ActiveFault[] = [];
    if (to <= from || this.schedule.faults.length === 0) return out;
    const firstCycle = Number.isFinite(this.period) ? Math.max(0, Math.floor((from - this.startTime - this.longest) / this.period)) : 0;
    const lastCycle = Number.isFinite(this.period) ? Math.floor((to - this.startTime) / this.period) : 0;
    for (let cycle = firstCycle; cycle <= lastCycle; cycle++) {
      const base = this.startTime + (Number.isFinite(this.period) ? cycle * this.period : 0);
      this.schedule.faults.forEach((f, i) => {
        if (kind && f.kind !== kind) return;
        const startsAt = base + f.atMs;
        const endsAt = startsAt + f.durationMs;
        // an instantaneous fault (duration 0) still "overlaps" the range containing its start
        if (startsAt < to && (endsAt > from || (f.durationMs === 0 && startsAt >= from))) {
          const n = cycle * this.starvedPerCycle + this.starvedOrdinal[i];
          out.push({
            kind: f.kind,
            cycle,
            startsAt,
            endsAt,
            ...(f.kind === 'starved-item' ? { itemId: starvedItemId(n) } : {}),
            ...(f.size !== undefined ? { size: f.size } : {}),
          });
        }
      });
    }
    return out.sort((a, b) => a.startsAt - b.startsAt);
  }

  /** activeAt lists the faults in effect at t. */
  activeAt(t: number): ActiveFault[] {
    return this.occurrences(t, t + 1).filter((f) => f.startsAt <= t && t < f.endsAt);
  }

  /** isActive: whether a fault of this kind is in effect at t (the hot path of the world). */
  isActive(kind: FaultKind, t: number): ActiveFault | undefined {
    return this.occurrences(t, t + 1, kind).find((f) => f.startsAt <= t && t < f.endsAt);
  }

  /** transitions lists fault starts and ends in [from, to), in time order, for logging. */
  transitions(from: number, to: number): FaultTransition[] {
    const out: FaultTransition[] = [];
    // from - 1: an occurrence ending exactly at `from` does not overlap [from, to) but its end is in it
    for (const f of this.occurrences(from - 1, to)) {
      if (f.startsAt >= from && f.startsAt < to) out.push({ at: f.startsAt, phase: 'started', fault: f });
      if (f.endsAt >= from && f.endsAt < to && f.endsAt > f.startsAt) out.push({ at: f.endsAt, phase: 'ended', fault: f });
    }
    return out.sort((a, b) => a.at - b.at || (a.phase === 'ended' ? -1 : 1));
  }
}
