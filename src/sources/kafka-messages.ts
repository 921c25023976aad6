/**
 * The messages between the Kafka source (main thread: window engine, commits) and its consumer
 * worker (kafka-worker.ts: kafkajs, the fetches and their decoding, dead letters).
 */
import type { KafkaSourceConfig } from './kafka';

export interface KafkaWorkerInit {
  name: string;
  config: KafkaSourceConfig;
  /** the SASL password, read from the environment by the main thread */
  password?: string;
  /** forwarded batches not yet acknowledged may hold at most this many bytes before the worker stops fetching */
  maxInFlightBytes: number;
}

/**
 * One partition's fetched messages, values packed into one transferred buffer: message i is
 * data[ends[i-1] ?? 0, ends[i]) (a typed topic's `type` already injected), at offsets[i].
 */
export interface BatchMessage {
  type: 'batch';
  seq: number;
  topic: string;
  partition: number;
  highWatermark: string;
  data: ArrayBuffer;
  ends: Uint32Array;
  offsets: Float64Array;
}

export type FromWorker =
  | BatchMessage
  /** the partitions (`topic/partition`) the group gave this consumer, after each rebalance */
  | { type: 'assigned'; partitions: string[] }
  | { type: 'up'; value: 0 | 1 }
  /** the consumer failed and is recreated with backoff */
  | { type: 'consumer-error' }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> }
  | { type: 'commit-result'; id: number; ok: boolean }
  | { type: 'dead-lettered'; status: 'sent' | 'failed'; count: number }
  | { type: 'stopped' };

export type ToWorker =
  /** the batch's effect is in state (or it was dropped); rejected messages (by index in the batch) go to the dead-letter topic */
  | { type: 'done'; seq: number; rejected: Array<{ index: number; reason: string; origin: string }> }
  | { type: 'commit'; id: number; offsets: Array<{ topic: string; partition: number; offset: string }> }
  | { type: 'stop' };
