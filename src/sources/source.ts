import type { Logger } from '../telemetry/logger';
import type { Clock } from '../clock';

/**
 * RawRecord is one undecoded event as a source delivers it: a line of an NDJSON file, the value of a
 * Kafka message, or an object the in-process demo world produced. Decoding and validation against
 * the event contract happen after the source, in one place, for every source alike.
 */
export interface RawRecord {
  payload: string | Buffer | object;
  /** the payload's size in bytes when it is a string decoded from bytes (for the oversized check) */
  bytes?: number;
  /** where it came from, for logs and dead letters: `file.ndjson:12`, `topic/3@1042`, `demo` */
  origin: string;
  /**
   * position in a replayable log (a Kafka partition): the window engine then tracks, per partition,
   * the oldest offset whose effect is not yet final, so the source commits only what a restart may skip
   */
  position?: RecordPosition;
}

export interface RecordPosition {
  /** the log, e.g. `topic/partition` */
  partition: string;
  offset: number;
}

/** PushResult: which records of a batch were rejected, and why (a source may dead-letter them). */
export interface PushResult {
  rejected: Array<{ index: number; reason: string }>;
}

/** EventSink takes batches of records; the promise resolves when their effect is in state. */
export interface EventSink {
  push(records: RawRecord[]): Promise<PushResult | void>;
  /**
   * resumeOffset: the offset a restart must read `partition` from so that no accepted event is lost
   * (the low-water mark: the oldest event of a still-open window, or one past the newest event seen).
   * Undefined when the partition was never pushed.
   */
  resumeOffset?(partition: string): number | undefined;
}

/**
 * Source produces records until it is exhausted (a file's end) or the signal aborts (the daemon
 * stops). Backpressure: a source awaits push() before producing more.
 */
export interface Source {
  readonly name: string;
  readonly kind: string;
  run(sink: EventSink, signal: AbortSignal): Promise<void>;
  /** a source that owns time (the demo world's accelerated clock) exposes it; the daemon then uses it */
  clock?: Clock;
  /**
   * live: events arrive close to the clock (Kafka, the demo). Only then may windows close by the
   * clock when the stream goes quiet, and events far ahead of the clock be rejected. A file of
   * recorded events is not live.
   */
  readonly live?: boolean;
  /**
   * resumable: after a restart the source re-reads from positions it committed through
   * EventSink.resumeOffset (Kafka), so the pipeline persists which windows are closed
   */
  readonly resumable?: boolean;
}

export interface SourceDeps {
  logger: Logger;
  env: Record<string, string | undefined>;
  /** directory of the config file, to resolve relative paths */
  baseDir: string;
  /** the daemon's metrics registry, for a source's own metrics (Kafka lag) */
  registry?: import('prom-client').Registry;
}

/** SourcePlugin: a source kind with the schema of its entry in recsysops.yaml (without name/kind). */
export interface SourcePlugin<C = Record<string, unknown>> {
  kind: string;
  description: string;
  schema: import('zod').ZodType<C>;
  create(name: string, config: C, deps: SourceDeps): Source;
}
