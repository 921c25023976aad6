import { z } from 'zod';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from '../../demo/faults';
import { rngFor } from '../../demo/random';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const TAG_LAYOUT = 61;
/** the least fault-free time after each fault, so its alerts can resolve before the next one */
const QUIET_AFTER_MS = 3 * HOUR;

/**
 * corpusSchema: the labelled corpus of the detection benchmark. Weeks run in order: `warmup_weeks`
 * with no fault (the checks learn normal; not scored), `clean_weeks` with no fault (every alert is a
 * false alarm), then `fault_weeks` in which every fault of `faults` is injected `repeats` times at
 * each of its sizes, in shuffled order, one per slot at a jittered time, so faults land at varied
 * hours and days and each alert can resolve before the next fault.
 */
export const corpusSchema = z.strictObject({
  /** seed of the demo world (users, catalogue, traffic, reactions) */
  world_seed: z.number().int().default(7),
  /** seed of the fault layout (order and start times) */
  layout_seed: z.number().int().default(11),
  /** the first simulated instant, a Monday 00:00 UTC so weeks are calendar weeks */
  start: z.string().default('2026-01-05T00:00:00Z'),
  warmup_weeks: z.number().int().min(0).default(2),
  clean_weeks: z.number().int().min(0).default(2),
  fault_weeks: z.number().int().min(0).default(3),
  /** the demo world's size: requests per minute at the evening peak, users, catalogue items */
  requests_per_minute: z.number().positive().default(20),
  users: z.number().int().positive().default(2000),
  items: z.number().int().positive().default(300),
  weekly_rhythm: z.boolean().default(true),
  repeats: z.number().int().min(1).default(2),
  faults: z
    .array(
      z.strictObject({
        kind: z.enum(FAULT_KINDS),
        sizes: z.array(z.number().gt(0).max(1)).min(1),
        /** one duration per occurrence, cycled (so a kind can vary in length instead of size) */
        durations_min: z.array(z.number().positive()).min(1),
      }),
    )
    .default(defaultFaults()),
});
export type CorpusConfig = z.output<typeof corpusSchema>;

function defaultFaults(): Array<{ kind: FaultKind; sizes: number[]; durations_min: number[] }> {
  const sized = [1, 0.5, 0.25];
  return [
    { kind: 'volume-drop', sizes: sized, durations_min: [60] },
    { kind: 'feature-bug', sizes: sized, durations_min: [60] },
    { kind: 'bad-model', sizes: sized, durations_min: [90] },
    { kind: 'latency-spike', sizes: sized, durations_min: [45] },
    { kind: 'stale-cache', sizes: sized, durations_min: [60] },
    // size has no effect on a starved item, and a partial stall is a volume drop: these two vary by
    // duration instead (with repeats 2: three lengths, two of each start time pattern)
    { kind: 'starved-item', sizes: [1], durations_min: [180, 240, 360] },
    { kind: 'stall', sizes: [1], durations_min: [20, 45, 90] },
  ];
}

/** LabelledFault: one injected fault, in absolute simulated time. */
export interface LabelledFault {
  id: number;
  kind: FaultKind;
  size: number;
  startsAt: number;
  endsAt: number;
}

export interface Corpus {
  config: CorpusConfig;
  startTime: number;
  endTime: number;
  /** [from, to) of the fault-free weeks that are scored for false alarms */
  clean: { from: number; to: number };
  /** [from, to) of the fault weeks */
  faulted: { from: number; to: number };
  faults: LabelledFault[];
  /** the world's fault schedule: the same faults, relative to the start, never repeating */
  schedule: { faults: FaultSpec[] };
}

/**
 * buildCorpus lays the faults out: occurrences = every (kind, size) `repeats` times (sizeless kinds:
 * as many as the sized ones have, so every kind is injected equally often), shuffled with the layout
 * seed, one per slot of equal length over the fault weeks, starting anywhere in its slot that
 * leaves three quiet hours before the next. Pure: the same config gives the same corpus.
 */
export function buildCorpus(config: CorpusConfig): Corpus {
  const startTime = Date.parse(config.start);
  if (!Number.isFinite(startTime)) throw new Error(`corpus start must be an ISO-8601 time, not "${config.start}"`);
  const clean = { from: startTime + config.warmup_weeks * WEEK, to: startTime + (config.warmup_weeks + config.clean_weeks) * WEEK };
  const faulted = { from: clean.to, to: clean.to + config.fault_weeks * WEEK };
  const perKind = Math.max(...config.faults.map((f) => f.sizes.length)) * config.repeats;
  const wanted: Array<{ kind: FaultKind; size: number; durationMs: number }> = [];
  for (const f of config.faults) {
    for (let i = 0; i < perKind; i++) {
      wanted.push({ kind: f.kind, size: f.sizes[i % f.sizes.length], durationMs: f.durations_min[i % f.durations_min.length] * MIN });
    }
  }
  const rng = rngFor(config.layout_seed, TAG_LAYOUT);
  for (let i = wanted.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [wanted[i], wanted[j]] = [wanted[j], wanted[i]];
  }
  const faults: LabelledFault[] = [];
  if (wanted.length && faulted.to > faulted.from) {
    const slot = Math.floor((faulted.to - faulted.from) / wanted.length / MIN) * MIN;
    const longest = Math.max(...wanted.map((w) => w.durationMs));
    if (slot < longest + QUIET_AFTER_MS) throw new Error(`corpus: ${wanted.length} faults do not fit in ${config.fault_weeks} fault weeks (slot ${slot / MIN} min)`);
    wanted.forEach((w, i) => {
      // anywhere in the slot that leaves QUIET_AFTER_MS before the next one, so start hours vary
      const jitter = Math.floor((rng() * Math.max(0, slot - w.durationMs - QUIET_AFTER_MS)) / MIN) * MIN;
      const startsAt = faulted.from + i * slot + jitter;
      faults.push({ id: i, kind: w.kind, size: w.size, startsAt, endsAt: startsAt + w.durationMs });
    });
  }
  return {
    config,
    startTime,
    endTime: faulted.to,
    clean,
    faulted,
    faults,
    schedule: {
      faults: faults.map((f) => ({ kind: f.kind, atMs: f.startsAt - startTime, durationMs: f.endsAt - f.startsAt, ...(f.size !== 1 ? { size: f.size } : {}) })),
    },
  };
}
