import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { Clock } from '../clock';
import { durationSchema } from '../config/duration';
import type { EventSink, RawRecord, Source, SourceDeps, SourcePlugin } from '../sources/source';
import type { Logger } from '../telemetry/logger';
import { defaultFaultSchedule, FAULT_DESCRIPTIONS, FAULT_KINDS, noFaults, type FaultSchedule, type FaultTransition } from './faults';
import { DEMO_DEFAULTS, DemoWorld, type DemoWorldOptions } from './world';

/** Sleep waits `ms` real milliseconds or until the signal aborts, whichever comes first. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

export interface DemoSourceOptions extends Partial<DemoWorldOptions> {
  name?: string;
  logger: Logger;
  /** real ms between steps */
  tickMs?: number;
  /** the most simulated time pushed at once; a slow pipeline makes the world lag, not balloon */
  maxStepMs?: number;
  /** records per sink.push */
  batchSize?: number;
  sleep?: Sleep;
}

/**
 * DemoSource runs a DemoWorld in accelerated real time: every tick it pushes the events of the
 * simulated time that passed, awaiting the sink (backpressure). It owns time: `clock` is simulated
 * time, so the daemon's windows and scheduled checks run at the world's pace. Fault starts and ends
 * are logged so a user can relate them to the alerts that follow.
 */
export class DemoSource implements Source {
  readonly kind = 'demo';
  /** the world's events arrive at its own clock's pace, so windows may close by that clock */
  readonly live = true;
  readonly name: string;
  readonly world: DemoWorld;
  readonly clock: Clock;
  private readonly logger: Logger;
  private readonly tickMs: number;
  private readonly maxStepMs: number;
  private readonly batchSize: number;
  private readonly sleep: Sleep;

  constructor(opts: DemoSourceOptions) {
    const { name, logger, tickMs, maxStepMs, batchSize, sleep, ...world } = opts;
    this.name = name ?? 'demo';
    this.logger = logger;
    this.world = new DemoWorld(world);
    this.clock = this.world.clock;
    this.tickMs = tickMs ?? 100;
    this.maxStepMs = maxStepMs ?? 15 * 60_000;
    this.batchSize = batchSize ?? 5000;
    this.sleep = sleep ?? defaultSleep;
  }

  async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    const o = this.world.options;
    this.logger.info('demo: world started', {
      seed: o.seed,
      speed: o.speed,
      sim_start: new Date(o.startTime).toISOString(),
      faults: o.faults.faults.map((f) => `${f.kind}@+${fmt(f.atMs)}/${fmt(f.durationMs)}${f.size !== undefined ? `×${f.size}` : ''}`).join(' ') || 'none',
      repeat_every: o.faults.repeatEveryMs ? fmt(o.faults.repeatEveryMs) : 'never',
    });
    let prev = o.startTime; // from the start, so the catalogue's item events come first
    while (!signal.aborted) {
      const now = this.clock();
      const to = Math.min(now, prev + this.maxStepMs);
      if (to > prev) {
        for (const tr of this.world.faultTransitions(prev, to)) this.logTransition(tr);
        const events = this.world.step(prev, to);
        for (let i = 0; i < events.length && !signal.aborted; i += this.batchSize) {
          const batch: RawRecord[] = events.slice(i, i + this.batchSize).map((payload) => ({ payload, origin: 'demo' }));
          await sink.push(batch);
        }
        prev = to;
      }
      if (to >= now && !signal.aborted) await this.sleep(this.tickMs, signal);
      // Behind the clock (a slow machine, a high speed): still yield to the event loop once per
      // step, or SIGTERM, /metrics and cron checks wait until the world catches up.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private logTransition(tr: FaultTransition): void {
    const f = tr.fault;
    this.logger.info(`demo: fault ${tr.phase}`, {
      kind: f.kind,
      sim_time: new Date(tr.at).toISOString(),
      ...(tr.phase === 'started' ? { until: new Date(f.endsAt).toISOString(), effect: FAULT_DESCRIPTIONS[f.kind] } : {}),
      ...(f.itemId ? { item_id: f.itemId } : {}),
    });
  }
}

function fmt(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

const faultSpecSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /** after the start of each cycle, e.g. `7h` */
  at: durationSchema,
  duration: durationSchema,
  /** 0 < size ≤ 1 scales the fault's effect (see FAULT_SIZE_EFFECTS); 1, the default, is the full effect */
  size: z.number().gt(0).max(1).optional(),
});

const schema = z.strictObject({
  seed: z.number().int().default(DEMO_DEFAULTS.seed),
  /** simulated time of the world's start (ISO-8601); default: now. Fixing it makes a run independent of the time of day */
  start: z
    .string()
    .refine((v) => Number.isFinite(Date.parse(v)), { message: 'expected an ISO-8601 time such as 2026-01-05T06:00:00Z' })
    .optional(),
  /** simulated ms per real ms; 720 = one simulated day per two real minutes */
  speed: z.number().positive().default(DEMO_DEFAULTS.speed),
  users: z.number().int().positive().default(DEMO_DEFAULTS.usersCount),
  items: z.number().int().positive().default(DEMO_DEFAULTS.itemsCount),
  requests_per_minute: z.number().positive().default(DEMO_DEFAULTS.requestsPerMinute),
  slate_size: z.number().int().positive().default(DEMO_DEFAULTS.slateSize),
  candidates_per_request: z.number().int().positive().default(DEMO_DEFAULTS.candidatesPerRequest),
  model_version: z.enum(['v1', 'v1.1']).default('v1'),
  /** weekends busier than weekdays (a day-of-week factor on traffic) */
  weekly_rhythm: z.boolean().default(DEMO_DEFAULTS.weeklyRhythm),
  /** `default` (one of each fault per simulated day), `none`, or a list of {kind, at, duration} */
  faults: z.union([z.enum(['default', 'none']), z.array(faultSpecSchema)]).default('default'),
  /** how often a listed fault schedule repeats; 0 = once */
  repeat_every: durationSchema.default(86_400_000),
});
export type DemoSourceConfig = z.infer<typeof schema>;

/** faultScheduleOf turns the `faults` entry of the config into a schedule. */
export function faultScheduleOf(c: Pick<DemoSourceConfig, 'faults' | 'repeat_every'>): FaultSchedule {
  if (c.faults === 'default') return defaultFaultSchedule();
  if (c.faults === 'none') return noFaults();
  return { repeatEveryMs: c.repeat_every, faults: c.faults.map((f) => ({ kind: f.kind, atMs: f.at, durationMs: f.duration, ...(f.size !== undefined ? { size: f.size } : {}) })) };
}

/** demoSourcePlugin: `kind: demo` in recsysops.yaml, the source of the built-in demo. */
export const demoSourcePlugin: SourcePlugin<DemoSourceConfig> = {
  kind: 'demo',
  description: 'a simulated recommender in accelerated time with injected faults (the built-in demo)',
  schema: schema as unknown as z.ZodType<DemoSourceConfig>,
  create(name, c, deps: SourceDeps) {
    return new DemoSource({
      name,
      logger: deps.logger,
      seed: c.seed,
      ...(c.start !== undefined ? { startTime: Date.parse(c.start) } : {}),
      speed: c.speed,
      usersCount: c.users,
      itemsCount: c.items,
      requestsPerMinute: c.requests_per_minute,
      slateSize: c.slate_size,
      candidatesPerRequest: c.candidates_per_request,
      modelVersion: c.model_version,
      weeklyRhythm: c.weekly_rhythm,
      faults: faultScheduleOf(c),
    });
  },
};
