import type { RecEvent } from '../events/contract';
import { decodeEvent } from '../events/decode';
import type { Observation, ScheduledCheck, StreamingCheck } from '../check-kinds/kind';
import type { EventSink, RawRecord } from '../sources/source';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../clock';
import type { WindowMetrics } from './metrics';

export interface WindowedCheck {
  name: string;
  runtime: StreamingCheck;
}

export interface WindowEngineOptions {
  streaming: WindowedCheck[];
  /** scheduled checks that watch events between their cron ticks */
  watchers: Array<{ name: string; runtime: ScheduledCheck }>;
  allowedLatenessMs: number;
  futureToleranceMs: number;
  maxEventBytes: number;
  metrics: WindowMetrics;
  logger: Logger;
  /** a live clock rejects events too far ahead of now; replay has none */
  clock?: Clock;
  onWindowClosed(check: WindowedCheck, start: number, end: number, observations: Observation[]): Promise<void>;
  /** every accepted event, after the windows saw it (the capture sampler listens here) */
  onEvent?(event: RecEvent): void;
}

/** At most this many windows of one check are closed in one go; past that the gap is skipped. */
const MAX_CATCH_UP_WINDOWS = 10_000;
const LOG_SAMPLES_PER_REASON = 5;

/**
 * WindowEngine is the stage between sources and checks: it decodes records, routes events to the
 * tumbling event-time windows of each check, tracks the watermark (newest event time minus the
 * allowed lateness) and closes every window that ends before it, in order, even windows that saw no
 * event (a volume that fell to zero is the incident). Events behind the watermark are counted late.
 */
export class WindowEngine implements EventSink {
  private newest = -Infinity;
  private watermark = -Infinity;
  /** per check: start of its oldest window not yet closed */
  private readonly nextClose = new Map<string, number>();
  private readonly routes = new Map<string, Array<{ add(e: RecEvent): void }>>();
  private readonly logged = new Map<string, number>();

  constructor(private readonly o: WindowEngineOptions) {
    for (const c of o.streaming) {
      for (const t of c.runtime.eventTypes) {
        this.route(t).push({
          add: (e) => {
            const ws = Math.floor(e.ts / c.runtime.windowMs) * c.runtime.windowMs;
            if (!this.nextClose.has(c.name)) this.nextClose.set(c.name, ws);
            c.runtime.add(ws, e);
          },
        });
      }
    }
    for (const w of o.watchers) for (const t of w.runtime.eventTypes) this.route(t).push({ add: (e) => w.runtime.see(e) });
  }

  async push(records: RawRecord[]): Promise<void> {
    const m = this.o.metrics;
    for (const r of records) {
      const d = decodeEvent(r.payload, { maxBytes: this.o.maxEventBytes });
      if (!d.ok) {
        this.reject(d.reason, d.detail, r.origin);
        continue;
      }
      const e = d.event;
      const horizon = Math.min(
        this.newest === -Infinity ? Infinity : this.newest + this.o.futureToleranceMs,
        this.o.clock ? this.o.clock() + this.o.futureToleranceMs : Infinity,
      );
      if (e.ts > horizon) {
        this.reject('future_timestamp', `${e.type} ts ${new Date(e.ts).toISOString()} is too far ahead`, r.origin);
        continue;
      }
      if (e.ts < this.watermark) {
        m.late.inc({ type: e.type });
        continue;
      }
      if (e.ts > this.newest) this.newest = e.ts;
      m.consumed.inc({ type: e.type });
      const targets = this.routes.get(e.type);
      if (targets) for (const t of targets) t.add(e);
      this.o.onEvent?.(e);
    }
    if (this.newest > -Infinity) m.newestEvent.set(this.newest / 1000);
    await this.advanceTo(this.newest - this.o.allowedLatenessMs);
  }

  /** advanceTo moves the watermark forward (never back) and closes the windows that end before it. */
  async advanceTo(t: number): Promise<void> {
    if (!(t > this.watermark)) return;
    this.watermark = t;
    this.o.metrics.watermark.set(t / 1000);
    await this.closeUpTo(() => t);
  }

  /**
   * flush closes, for each check, every window up to the one holding the newest event (the end of a
   * replay: no later event will come). Windows after the newest event are not closed: they would
   * look like an outage.
   */
  async flush(): Promise<void> {
    if (this.newest === -Infinity) return;
    await this.closeUpTo((w) => Math.floor(this.newest / w + 1) * w);
  }

  getWatermark(): number {
    return this.watermark;
  }

  /** closeUpTo closes each check's windows that end at or before limit(windowMs). */
  private async closeUpTo(limit: (windowMs: number) => number): Promise<void> {
    for (const c of this.o.streaming) {
      const w = c.runtime.windowMs;
      const t = limit(w);
      let start = this.nextClose.get(c.name);
      if (start === undefined) continue;
      if ((t - start) / w > MAX_CATCH_UP_WINDOWS) {
        const skipTo = Math.floor(t / w) * w - MAX_CATCH_UP_WINDOWS * w;
        this.o.logger.warn('event-time gap too long: skipping windows', { check: c.name, from: new Date(start).toISOString(), to: new Date(skipTo).toISOString() });
        start = skipTo;
      }
      while (start + w <= t) {
        const obs = c.runtime.close(start, start + w);
        this.o.metrics.windowsClosed.inc({ check: c.name });
        await this.o.onWindowClosed(c, start, start + w, obs);
        start += w;
      }
      this.nextClose.set(c.name, start);
    }
  }

  private reject(reason: string, detail: string, origin: string): void {
    this.o.metrics.malformed.inc({ reason });
    // Log a sample per reason: the first few, then every 1000th, so a flood does not drown the log.
    const n = (this.logged.get(reason) ?? 0) + 1;
    this.logged.set(reason, n);
    if (n <= LOG_SAMPLES_PER_REASON || n % 1000 === 0) this.o.logger.warn('malformed event skipped', { reason, detail, origin, count: n });
  }

  private route(type: string) {
    let r = this.routes.get(type);
    if (!r) this.routes.set(type, (r = []));
    return r;
  }
}
