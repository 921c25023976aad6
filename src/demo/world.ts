import { systemClock, type Clock } from '../clock';
import type { RecEvent } from '../events/contract';
import { Catalog } from './catalog';
import { defaultFaultSchedule, faultSize, FaultTimeline, type ActiveFault, type FaultSchedule, type FaultTransition } from './faults';
import { itemEvent, Launches } from './launches';
import { poisson, rngFor } from './random';
import { MAX_EVENT_LAG_MS, requestShare, serveRequest, type ServeContext } from './serve';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TAG_MINUTE = 41;
const TAG_REQUEST = 42;
/** how many generated minutes are kept, so consecutive steps do not regenerate the overlap */
const MINUTE_CACHE = 16;

export interface DemoWorldOptions {
  seed: number;
  /** simulated time of the world's start (epoch ms); the fault schedule is relative to it */
  startTime: number;
  /** simulated ms per real ms: 720 makes a simulated day last two real minutes */
  speed: number;
  usersCount: number;
  itemsCount: number;
  /** requests per simulated minute at the evening peak */
  requestsPerMinute: number;
  slateSize: number;
  candidatesPerRequest: number;
  faults: FaultSchedule;
  /** the healthy model version served outside `bad-model` faults */
  modelVersion: string;
  /** a new item launches about this often */
  newItemEveryMs: number;
  /** real time, for `clock` (and the default start); injected so tests control it */
  realClock: Clock;
  /** weekends busier than weekdays (WEEKDAY_FACTOR); off by default so a day looks like any other */
  weeklyRhythm: boolean;
}

export const DEMO_DEFAULTS: Omit<DemoWorldOptions, 'startTime' | 'realClock' | 'faults'> = {
  seed: 42,
  speed: 720,
  usersCount: 2000,
  itemsCount: 300,
  requestsPerMinute: 40,
  slateSize: 10,
  candidatesPerRequest: 20,
  modelVersion: 'v1',
  newItemEveryMs: 2 * HOUR,
  weeklyRhythm: false,
};

// Share of peak traffic at each UTC hour: trough ~30% before dawn, peak in the evening.
const HOURLY = [0.62, 0.5, 0.4, 0.33, 0.3, 0.3, 0.34, 0.42, 0.5, 0.55, 0.58, 0.6, 0.64, 0.64, 0.62, 0.62, 0.66, 0.72, 0.82, 0.92, 1.0, 1.0, 0.92, 0.78];

const DAY = 24 * HOUR;
// Traffic of each UTC day of the week (Sunday first) relative to the daily rhythm: weekends are
// busier, Monday and Tuesday the quietest days. Only with `weeklyRhythm`.
const WEEKDAY_FACTOR = [1.2, 0.9, 0.88, 0.92, 0.95, 1.05, 1.25];

/**
 * trafficShare: the share of peak traffic at t, interpolated between hours so volume changes
 * smoothly; with `weekly`, scaled by the day of the week, interpolated between the days' noons so
 * Friday evening already rises towards Saturday.
 */
export function trafficShare(t: number, weekly = false): number {
  const h = (((t % DAY) + DAY) % DAY) / HOUR;
  const i = Math.floor(h);
  const f = h - i;
  const daily = HOURLY[i] * (1 - f) + HOURLY[(i + 1) % 24] * f;
  return weekly ? daily * weekdayFactor(t) : daily;
}

/** weekdayFactor: WEEKDAY_FACTOR at t, linear between consecutive noons (UTC). */
export function weekdayFactor(t: number): number {
  const days = (t - DAY / 2) / DAY; // 0 at the noon of 1970-01-01, a Thursday (day 4)
  const d = Math.floor(days);
  const f = days - d;
  const day = (((d + 4) % 7) + 7) % 7;
  return WEEKDAY_FACTOR[day] * (1 - f) + WEEKDAY_FACTOR[(day + 1) % 7] * f;
}

/**
 * DemoWorld is a simulated recommender: users, a catalogue with new launches, a ranking model, and
 * injected faults. `step(from, to)` is pure given the seed: each simulated minute's requests come
 * from a PRNG seeded by (seed, minute), so the same range always yields the same events and
 * consecutive steps join seamlessly however time is sliced.
 */
export class DemoWorld {
  readonly options: DemoWorldOptions;
  readonly timeline: FaultTimeline;
  readonly catalog: Catalog;
  private readonly launches: Launches;
  private readonly ctx: ServeContext;
  private readonly realStart: number;
  private readonly minutes = new Map<number, RecEvent[]>();

  constructor(opts: Partial<DemoWorldOptions> = {}) {
    const realClock = opts.realClock ?? systemClock;
    const startTime = opts.startTime ?? Math.floor(realClock() / MIN) * MIN;
    this.options = { ...DEMO_DEFAULTS, faults: defaultFaultSchedule(), ...stripUndefined(opts), startTime, realClock };
    const o = this.options;
    if (!(o.speed > 0)) throw new Error('demo: speed must be > 0');
    if (o.candidatesPerRequest < o.slateSize) throw new Error('demo: candidatesPerRequest must be ≥ slateSize');
    this.realStart = o.realClock();
    this.timeline = new FaultTimeline(o.faults, startTime);
    this.catalog = new Catalog(o.seed, startTime, o.usersCount, o.itemsCount);
    this.launches = new Launches(o.seed, startTime, o.newItemEveryMs, this.catalog, this.timeline);
    this.ctx = {
      seed: o.seed,
      catalog: this.catalog,
      launches: this.launches,
      timeline: this.timeline,
      modelVersion: o.modelVersion,
      slateSize: o.slateSize,
      candidatesPerRequest: o.candidatesPerRequest,
    };
  }

  get startTime(): number {
    return this.options.startTime;
  }

  /** clock is simulated time: the start plus the real time elapsed since construction, times speed. */
  get clock(): Clock {
    return () => this.options.startTime + (this.options.realClock() - this.realStart) * this.options.speed;
  }

  activeFaults(t: number): ActiveFault[] {
    return this.timeline.activeAt(t);
  }

  faultTransitions(from: number, to: number): FaultTransition[] {
    return this.timeline.transitions(from, to);
  }

  /** step returns every event with ts in [from, to), in ts order. Treat the events as read-only. */
  step(from: number, to: number): RecEvent[] {
    const start = this.options.startTime;
    const lo = Math.max(from, start);
    if (to <= lo) return [];
    const out: RecEvent[] = [];
    if (start >= lo && start < to) for (const item of this.catalog.items) out.push(itemEvent(item, start));
    out.push(...this.launches.itemEvents(lo, to));
    const first = Math.max(0, Math.floor((lo - MAX_EVENT_LAG_MS - start) / MIN));
    const last = Math.floor((to - 1 - start) / MIN);
    for (let m = first; m <= last; m++) {
      for (const e of this.minute(m)) if (e.ts >= lo && e.ts < to) out.push(e);
    }
    // stable sort: equal timestamps keep generation order, so split steps concatenate to one step
    out.sort((a, b) => a.ts - b.ts);
    const stalls = this.timeline.occurrences(lo, to, 'stall');
    return stalls.length ? out.filter((e) => !this.lostInStall(e, stalls)) : out;
  }

  /** lostInStall: whether a stall swallows the event (all of them at size 1, else a share of requests). */
  private lostInStall(e: RecEvent, stalls: ActiveFault[]): boolean {
    const f = stalls.find((s) => s.startsAt <= e.ts && e.ts < s.endsAt);
    if (!f) return false;
    if (faultSize(f) >= 1) return true;
    const key = 'request_id' in e && e.request_id ? e.request_id : e.type === 'item' ? e.item_id : undefined;
    return key !== undefined && requestShare(this.options.seed, key) < faultSize(f);
  }

  /** minute: every event caused by the requests of the m-th simulated minute (memoised). */
  private minute(m: number): RecEvent[] {
    const cached = this.minutes.get(m);
    if (cached) return cached;
    const o = this.options;
    const t0 = o.startTime + m * MIN;
    const rng = rngFor(o.seed, TAG_MINUTE, m);
    const n = poisson(rng, o.requestsPerMinute * trafficShare(t0 + MIN / 2, o.weeklyRhythm));
    const offsets = Array.from({ length: n }, () => Math.floor(rng() * MIN)).sort((a, b) => a - b);
    const events: RecEvent[] = [];
    offsets.forEach((off, j) => {
      events.push(...serveRequest(this.ctx, `req-${m}-${j}`, t0 + off, rngFor(o.seed, TAG_REQUEST, m, j)));
    });
    this.minutes.set(m, events);
    if (this.minutes.size > MINUTE_CACHE) this.minutes.delete(this.minutes.keys().next().value as number);
    return events;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
