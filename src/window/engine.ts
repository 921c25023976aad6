import { EVENT_TYPES, type EventType, type RecEvent } from '../events/contract';
import { decodeRecord, Rejection, tooLarge, type FeatureWalker } from '../events/decode';
import type { Observation, ScheduledCheck, StreamingCheck } from '../check-kinds/kind';
import type { EventSink, PushResult, RawRecord, RecordPosition } from '../sources/source';
import { WindowProgress } from './progress';
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
  /** reads every feature value of the serving events for the checks: decoding lets it check them (FeatureWalker) */
  featureWalker?: FeatureWalker;
  /** a live clock rejects events too far ahead of now; replay has none */
  clock?: Clock;
  onWindowClosed(check: WindowedCheck, start: number, end: number, observations: Observation[]): Promise<void>;
  /** every accepted event, after the windows saw it (the capture sampler listens here) */
  onEvent?(event: RecEvent): void;
  /**
   * progress: where each check's closed windows end, persisted (the daemon with a replayable source
   * such as Kafka). Events re-read after a restart whose window was already closed are skipped, not
   * counted twice. Replay has none.
   */
  progress?: WindowProgress;
}

/** At most this many windows of one check are closed in one go; past that the gap is skipped. */
const MAX_CATCH_UP_WINDOWS = 10_000;
const LOG_SAMPLES_PER_REASON = 5;
/**
 * Records are taken this many at a time: enough for a check's state to stay in cache over a run of
 * events, few enough that most of the chunk's decoded events are let go before a scavenge sees them
 * alive. (Measured: from 128 events on, scavenges found nearly all of them alive, V8 began to
 * allocate events straight into the old generation, and garbage collection took 3× as long.)
 */
const CHUNK = 64;
/** a bit per event type, for the type masks of the routes */
const TYPE_BIT: Record<EventType, number> = { impression: 1, engagement: 2, serving: 4, item: 8 };

/** a streaming check as the engine feeds it */
interface Route {
  check: WindowedCheck;
  /** the event types it takes (TYPE_BIT mask) */
  types: number;
  windowMs: number;
  /** windows starting before this were closed by an earlier run */
  floor: number;
  /** the window of the check's previous event (NaN: ask nextClose) */
  openWs: number;
  /**
   * the same start, kept boxed in an array that also holds a non-number: a window start in epoch ms
   * is no small integer, and passed to a check as a fresh double it was boxed once per event and
   * check (50 MB of garbage per 300k events); passed from here it is boxed once per window
   */
  openWindow: unknown[];
  /**
   * offset tracking for replayable sources: open window start → partition → the smallest offset of
   * an event in that window. A partition's low-water mark is the minimum over every check's open
   * windows; everything before it has its effect in closed (evaluated, persisted) windows only.
   */
  pending: Map<number, Map<string, number>>;
  /** the last window and partition an offset was recorded for, and that offset */
  lastWs: number;
  lastPartition: string | undefined;
  lastMin: number;
}

const typeMask = (types: readonly EventType[]) => types.reduce((mask, t) => mask | TYPE_BIT[t], 0);

/** what push keeps across the chunks of one batch */
interface BatchState {
  rejected: PushResult['rejected'] | undefined;
  /** events taken per type, added to the counter once per batch (a labelled inc per event costs) */
  consumed: Record<EventType, number>;
  /** the partition of the last record with a position, and one past its newest offset */
  part: string | undefined;
  partNext: number;
  /** the newest event time admitted, this batch included: the future-timestamp horizon */
  newest: number;
}

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
  /** the streaming checks, and the scheduled checks that watch events between their ticks */
  private readonly routes: Route[] = [];
  private readonly watchers: Array<{ types: number; runtime: ScheduledCheck }> = [];
  /** event types at least one check takes (TYPE_BIT mask) */
  private routedTypes = 0;
  // the chunk being taken, reused: its admitted events and their positions (arrays of CHUNK, emptied
  // by overwriting: `length = 0` dropped their storage, and every chunk grew it again), and whether
  // some check took each
  private readonly chunk: Array<RecEvent | undefined> = new Array<RecEvent | undefined>(CHUNK).fill(undefined);
  private readonly chunkPositions: Array<RecordPosition | undefined> = new Array<RecordPosition | undefined>(CHUNK).fill(undefined);
  private readonly chunkTaken = new Uint8Array(CHUNK);
  private readonly chunkTypes = new Uint8Array(CHUNK);
  private readonly chunkTimes = new Float64Array(CHUNK);
  private readonly logged = new Map<string, number>();
  /** per partition: one past the newest offset pushed */
  private readonly nextOffset = new Map<string, number>();
  /** per check: windows starting before this were closed by an earlier run (from `progress`) */
  private readonly closedBefore: Map<string, number>;
  /** events older than this are in windows every check closed in an earlier run */
  private readonly skipBefore: number;

  constructor(private readonly o: WindowEngineOptions) {
    this.closedBefore = new Map(Object.entries(o.progress?.load() ?? {}));
    this.skipBefore = o.streaming.length && o.streaming.every((c) => this.closedBefore.has(c.name)) ? Math.min(...o.streaming.map((c) => this.closedBefore.get(c.name)!)) : -Infinity;
    for (const c of o.streaming) {
      const floor = this.closedBefore.get(c.name) ?? -Infinity;
      // resume where the last run stopped closing, so windows with no event in between still close
      if (floor > -Infinity) this.nextClose.set(c.name, floor);
      const pending = new Map<number, Map<string, number>>();
      const route: Route = { check: c, types: typeMask(c.runtime.eventTypes), windowMs: c.runtime.windowMs, floor, openWs: NaN, openWindow: [NaN, null], pending, lastWs: NaN, lastPartition: undefined, lastMin: 0 };
      this.routes.push(route);
      this.routedTypes |= route.types;
    }
    for (const w of o.watchers) {
      this.watchers.push({ types: typeMask(w.runtime.eventTypes), runtime: w.runtime });
      this.routedTypes |= typeMask(w.runtime.eventTypes);
    }
  }

  /**
   * push takes a batch, CHUNK records at a time, in three passes: decode and admit the records; then
   * each check takes the chunk's events of its types, one check after the other (its state stays in
   * the CPU's caches for the whole chunk instead of being evicted by sixteen other checks' between
   * two events, which made the checks cost twice what they cost alone); then count what was taken.
   */
  async push(records: RawRecord[]): Promise<PushResult | void> {
    const batch: BatchState = { rejected: undefined, consumed: { impression: 0, engagement: 0, serving: 0, item: 0 }, part: undefined, partNext: -1, newest: this.newest };
    for (let from = 0; from < records.length; from += CHUNK) this.takeChunk(records, from, Math.min(records.length, from + CHUNK), batch);
    // one past the newest offset of the batch's last partition (see admit)
    if (batch.part !== undefined) this.nextOffset.set(batch.part, batch.partNext);
    for (const type of EVENT_TYPES) if (batch.consumed[type]) this.o.metrics.consumed.inc({ type }, batch.consumed[type]);
    if (this.newest > -Infinity) this.o.metrics.newestEvent.set(this.newest / 1000);
    await this.advanceTo(this.newest - this.o.allowedLatenessMs);
    return batch.rejected ? { rejected: batch.rejected } : undefined;
  }

  private takeChunk(records: RawRecord[], from: number, to: number, batch: BatchState): void {
    const events = this.chunk as RecEvent[]; // [0, n) set by admit
    const positions = this.chunkPositions;
    const n = this.admit(records, from, to, batch);
    // each event's type bit and time, read once here rather than once per check; an event of a type
    // no check takes counts as taken
    const taken = this.chunkTaken;
    const types = this.chunkTypes;
    const times = this.chunkTimes;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      types[i] = TYPE_BIT[e.type];
      times[i] = e.ts;
      taken[i] = this.routedTypes & types[i] ? 0 : 1;
    }
    // The hot loop: each check takes its events, in order. Inline, not a function per check: it runs
    // once per event and check, and a call more per event and check was a tenth of the path.
    for (const r of this.routes) {
      const takes = r.types;
      const w = r.windowMs;
      const floor = r.floor;
      const runtime = r.check.runtime;
      for (let i = 0; i < n; i++) {
        if (!(takes & types[i])) continue;
        const t = times[i];
        // most events fall in the window of the check's previous one: no division for them
        if (!(t >= r.openWs && t < r.openWs + w)) {
          const ws = Math.floor(t / w) * w;
          if (ws < floor) continue; // closed before a restart: its effect is already final
          this.opened(r, ws);
        }
        const ws = r.openWs;
        runtime.add(r.openWindow[0] as number, events[i]);
        taken[i] = 1;
        const pos = positions[i];
        if (pos) this.track(r, ws, pos);
      }
    }
    for (const w of this.watchers) {
      for (let i = 0; i < n; i++) if (w.types & types[i]) w.runtime.see(events[i]);
    }
    const m = this.o.metrics;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      // an event only scheduled checks watch counts as taken; one every check closed before does not
      if (!taken[i] && this.closedBefore.size && this.skippedByAll(e)) {
        m.redelivered.inc({ type: e.type });
        continue;
      }
      if (e.ts > this.newest) this.newest = e.ts;
      batch.consumed[e.type]++;
      this.o.onEvent?.(e);
    }
    this.chunk.fill(undefined, 0, n); // let the events go
    positions.fill(undefined, 0, n);
  }

  /**
   * admit decodes records [from, to) into this.chunk (and their positions), rejecting malformed ones,
   * those too far ahead, late ones and re-deliveries of windows every check closed before; returns how
   * many it admitted. It keeps one past the newest offset per partition in `batch` while the partition
   * stays the same (a Kafka batch is one partition) and writes it to nextOffset when it changes.
   */
  private admit(records: RawRecord[], from: number, to: number, batch: BatchState): number {
    const m = this.o.metrics;
    const events = this.chunk;
    const positions = this.chunkPositions;
    let n = 0;
    const decodeOptions = { maxBytes: this.o.maxEventBytes, features: this.o.featureWalker };
    // the live clock's limit, read once per chunk (a chunk takes a millisecond)
    const clockHorizon = this.o.clock ? this.o.clock() + this.o.futureToleranceMs : Infinity;
    for (let i = from; i < to; i++) {
      const r = records[i];
      const pos = r.position;
      if (pos) {
        if (pos.partition !== batch.part) {
          if (batch.part !== undefined) this.nextOffset.set(batch.part, batch.partNext);
          batch.part = pos.partition;
          batch.partNext = this.nextOffset.get(batch.part) ?? -1;
        }
        if (pos.offset >= batch.partNext) batch.partNext = pos.offset + 1;
      }
      // a record that knows its size in bytes is checked before its payload is decoded to a string
      const e = r.bytes !== undefined && r.bytes > this.o.maxEventBytes ? tooLarge(r.bytes, this.o.maxEventBytes) : decodeRecord(r.payload, decodeOptions, r.bytes);
      if (e instanceof Rejection) {
        this.reject(e.reason, e.detail, r.origin);
        (batch.rejected ??= []).push({ index: i, reason: e.reason });
        continue;
      }
      const ts = e.ts;
      // the newest event time admitted so far, this batch included
      const horizon = Math.min(batch.newest === -Infinity ? Infinity : batch.newest + this.o.futureToleranceMs, clockHorizon);
      if (ts > horizon) {
        this.reject('future_timestamp', `${e.type} ts ${new Date(e.ts).toISOString()} is too far ahead`, r.origin);
        (batch.rejected ??= []).push({ index: i, reason: 'future_timestamp' });
        continue;
      }
      if (ts < this.watermark) {
        m.late.inc({ type: e.type });
        continue;
      }
      if (ts < this.skipBefore) {
        m.redelivered.inc({ type: e.type });
        continue;
      }
      if (ts > batch.newest) batch.newest = ts;
      events[n] = e;
      positions[n++] = pos;
    }
    return n;
  }

  /** opened: a check's event falls in window ws (≥ the check's floor), not the one of its previous event: the next to close is at or before it */
  private opened(r: Route, ws: number): void {
    const next = this.nextClose.get(r.check.name);
    // Before the first close an earlier (within-lateness) event may open an earlier window.
    if (next === undefined || ws < next) this.nextClose.set(r.check.name, ws);
    r.openWs = ws;
    r.openWindow[0] = ws;
  }

  /**
   * track records the smallest offset per partition of a check's window. A batch is one partition in
   * offset order, so most events only compare with the route's last (window, partition, offset).
   */
  private track(r: Route, ws: number, pos: RecordPosition): void {
    if (ws === r.lastWs && pos.partition === r.lastPartition && pos.offset >= r.lastMin) return;
    let parts = r.pending.get(ws);
    if (!parts) r.pending.set(ws, (parts = new Map()));
    let min = parts.get(pos.partition);
    if (min === undefined || pos.offset < min) parts.set(pos.partition, (min = pos.offset));
    r.lastWs = ws;
    r.lastPartition = pos.partition;
    r.lastMin = min;
  }

  /** resumeOffset: see EventSink.resumeOffset — the partition's low-water mark. */
  resumeOffset(partition: string): number | undefined {
    let low = this.nextOffset.get(partition);
    if (low === undefined) return undefined;
    for (const r of this.routes)
      for (const parts of r.pending.values()) {
        const min = parts.get(partition);
        if (min !== undefined && min < low) low = min;
      }
    return low;
  }

  /** skippedByAll: true when every streaming check of the event's type closed its window before a restart */
  private skippedByAll(e: RecEvent): boolean {
    let any = false;
    for (const r of this.routes) {
      if (!(r.types & TYPE_BIT[e.type])) continue;
      any = true;
      if (Math.floor(e.ts / r.windowMs) * r.windowMs >= r.floor) return false;
    }
    return any;
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
    let closed = false;
    for (const route of this.routes) {
      const c = route.check;
      const w = route.windowMs;
      const t = limit(w);
      let start = this.nextClose.get(c.name);
      if (start === undefined) continue;
      if ((t - start) / w > MAX_CATCH_UP_WINDOWS) {
        const skipTo = Math.floor(t / w) * w - MAX_CATCH_UP_WINDOWS * w;
        this.o.logger.warn('event-time gap too long: skipping windows', { check: c.name, from: new Date(start).toISOString(), to: new Date(skipTo).toISOString() });
        start = skipTo;
      }
      const windows = route.pending;
      while (start + w <= t) {
        const obs = c.runtime.close(start, start + w);
        this.o.metrics.windowsClosed.inc({ check: c.name });
        await this.o.onWindowClosed(c, start, start + w, obs);
        windows.delete(start);
        start += w;
        closed = true;
      }
      for (const ws of windows.keys()) if (ws < start) windows.delete(ws); // skipped by a long gap
      // closing windows deletes their offsets and moves the next close: forget what is cached
      route.lastWs = NaN;
      route.openWs = NaN;
      this.nextClose.set(c.name, start);
    }
    if (closed && this.o.progress) {
      const done: Record<string, number> = Object.fromEntries(this.closedBefore);
      for (const [name, start] of this.nextClose) done[name] = Math.max(start, done[name] ?? -Infinity);
      this.o.progress.save(done);
    }
  }

  private reject(reason: string, detail: string, origin: string): void {
    this.o.metrics.malformed.inc({ reason });
    // Log a sample per reason: the first few, then every 1000th, so a flood does not drown the log.
    const n = (this.logged.get(reason) ?? 0) + 1;
    this.logged.set(reason, n);
    if (n <= LOG_SAMPLES_PER_REASON || n % 1000 === 0) this.o.logger.warn('malformed event skipped', { reason, detail, origin, count: n });
  }
}
