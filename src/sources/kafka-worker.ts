/**
 * The Kafka source's consumer thread (a worker_threads Worker started by KafkaSource): it runs the
 * kafkajs consumer group — fetching, decoding the fetch responses into messages, heartbeats,
 * offset commits the main thread asks for, dead letters — so that this work runs on another core
 * than the window engine and the checks. It packs each batch's values into one transferred buffer
 * (no copy to the main thread) and stops fetching while the forwarded batches not yet acknowledged
 * hold more than `maxInFlightBytes`: kafkajs fetches nothing while eachBatch waits, so memory is
 * bounded and a slow pipeline pauses the consumer instead of buffering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kafka, logLevel, type Consumer, type KafkaConfig, type KafkaMessage, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import type { BatchMessage, FromWorker, KafkaWorkerInit, ToWorker } from './kafka-messages';
import { bounded, sleep } from '../util/async';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
const SHUTDOWN_STEP_MS = 5000;
/** while eachBatch waits for the pipeline, it heartbeats this often so the group keeps the member */
const WAIT_HEARTBEAT_MS = 3000;
const IDLE_FETCH_WAIT_MS = 1000;

const init = workerData as KafkaWorkerInit;
const c = init.config;
const port = parentPort!;
const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
const log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => send({ type: 'log', level, msg, fields });
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

const typeOf = new Map<string, string>();
const topics = c.topics.map((t) => {
  if (typeof t === 'string') return t;
  typeOf.set(t.topic, t.type);
  return t.topic;
});

/**
 * batches forwarded and not yet acknowledged: their size, and their original messages when there is
 * a dead-letter topic to write rejected ones to (otherwise they are let go at once, young, like a bare
 * consumer's: kept until the acknowledgement they would outlive a minor GC and cost a major one)
 */
const inFlight = new Map<number, { messages?: KafkaMessage[]; bytes: number }>();
let inFlightBytes = 0;
let seq = 0;
let wake: (() => void) | undefined;
let consumer: Consumer | undefined;
let producer: Producer | undefined;
const stop = new AbortController();

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'done':
      void acknowledge(m.seq, m.rejected);
      break;
    case 'commit':
      void commit(m.id, m.offsets);
      break;
    case 'stop':
      stop.abort();
      wake?.();
      break;
  }
});

async function acknowledge(id: number, rejected: Array<{ index: number; reason: string; origin: string }>): Promise<void> {
  const b = inFlight.get(id);
  if (!b) return;
  inFlight.delete(id);
  inFlightBytes -= b.bytes;
  wake?.();
  if (!rejected.length || !c.dead_letter_topic || !b.messages) return;
  if (!producer) {
    // no producer (it failed to connect): the rejection is counted either way
    send({ type: 'dead-lettered', status: 'failed', count: rejected.length });
    return;
  }
  try {
    await producer.send({
      topic: c.dead_letter_topic,
      messages: rejected.map(({ index, reason, origin }) => {
        const m = b.messages![index];
        return { key: m.key, value: m.value, headers: { ...(m.headers ?? {}), 'x-recsysops-reason': reason, 'x-recsysops-origin': origin } };
      }),
    });
    send({ type: 'dead-lettered', status: 'sent', count: rejected.length });
  } catch (err) {
    // never stall the partition on the dead-letter topic: the rejection is counted either way
    send({ type: 'dead-lettered', status: 'failed', count: rejected.length });
    log('warn', 'dead-letter write failed; messages dropped', { topic: c.dead_letter_topic, count: rejected.length, error: errorText(err) });
  }
}

async function commit(id: number, offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
  try {
    if (!consumer) throw new Error('not connected');
    await consumer.commitOffsets(offsets);
    send({ type: 'commit-result', id, ok: true });
  } catch (err) {
    log('debug', 'kafka offset commit deferred', { error: errorText(err) });
    send({ type: 'commit-result', id, ok: false });
  }
}

/** Prefix of `{"type":"…",` injected into messages of a typed topic; a message's own `type` wins (JSON keeps the last key). */
function typedPayload(value: Buffer, type: string): Buffer {
  let i = 0;
  while (i < value.length && (value[i] === 0x20 || value[i] === 0x0a || value[i] === 0x0d || value[i] === 0x09)) i++;
  if (value[i] !== 0x7b /* { */) return value;
  let j = i + 1;
  while (j < value.length && (value[j] === 0x20 || value[j] === 0x0a || value[j] === 0x0d || value[j] === 0x09)) j++;
  const head = Buffer.from(value[j] === 0x7d /* } */ ? `{"type":${JSON.stringify(type)}` : `{"type":${JSON.stringify(type)},`);
  return Buffer.concat([head, value.subarray(i + 1)]);
}

/** forward packs a batch's values into one buffer and transfers it to the main thread. */
function forward(topic: string, partition: number, highWatermark: string, messages: KafkaMessage[]): number {
  const type = typeOf.get(topic);
  const n = messages.length;
  const values: Buffer[] = new Array(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const v = messages[i].value ?? EMPTY;
    values[i] = type ? typedPayload(v, type) : v;
    bytes += values[i].length;
  }
  const data = Buffer.allocUnsafeSlow(bytes); // its own ArrayBuffer, so it can be transferred
  const ends = new Uint32Array(n);
  const offsets = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    data.set(values[i], at);
    at += values[i].length;
    ends[i] = at;
    offsets[i] = Number(messages[i].offset);
  }
  const id = ++seq;
  inFlight.set(id, { messages: c.dead_letter_topic ? messages : undefined, bytes });
  inFlightBytes += bytes;
  const m: BatchMessage = { type: 'batch', seq: id, topic, partition, highWatermark, data: data.buffer as ArrayBuffer, ends, offsets };
  send(m, [m.data, ends.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer]);
  return bytes;
}
const EMPTY = Buffer.alloc(0);

/** until the main thread has caught up (or the worker stops), heartbeating meanwhile */
async function awaitCapacity(heartbeat: () => Promise<void>): Promise<void> {
  while (inFlightBytes > init.maxInFlightBytes && !stop.signal.aborted) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, WAIT_HEARTBEAT_MS);
      wake = () => (clearTimeout(t), resolve());
    });
    wake = undefined;
    await heartbeat().catch(() => undefined);
  }
}

function client(): Kafka {
  const cfg: KafkaConfig = {
    clientId: c.client_id,
    brokers: c.brokers,
    ssl: c.ssl,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      // plain values only: a log entry crosses to the main thread
      const fields = { kafkajs: entry.namespace, broker: rest.broker === undefined ? undefined : String(rest.broker), error: rest.error === undefined ? undefined : errorText(rest.error) };
      log(entry.level <= logLevel.ERROR ? 'warn' : 'debug', `kafka: ${message}`, fields);
    },
  };
  if (c.sasl) cfg.sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: init.password ?? '' } as SASLOptions;
  return new Kafka(cfg);
}

async function run(signal: AbortSignal): Promise<void> {
  const kafka = client();
  let failures = 0;
  while (!signal.aborted) {
    const cons = kafka.consumer({
      groupId: c.group_id,
      maxBytes: c.max_batch_bytes,
      maxBytesPerPartition: c.max_message_bytes,
      sessionTimeout: c.session_timeout_ms,
      // a fetch waits this long for new messages when there are none; disconnect() waits for it, so
      // a shorter wait than kafkajs' 5 s makes a clean stop quicker (one idle round trip a second)
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
      rebalanceTimeout: c.session_timeout_ms * 2,
      allowAutoTopicCreation: false,
      // kafkajs would restart a crashed consumer on a timer of its own, which can fire after
      // disconnect(); the loop below recreates it instead, with backoff, and stops cleanly.
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8, restartOnFailure: async () => false },
    });
    consumer = cons;
    const crashed = new Promise<unknown>((resolve) => {
      cons.on(cons.events.CRASH, (e) => {
        if (!e.payload.restart) resolve(e.payload.error);
        else log('warn', 'kafka consumer restarting after an error', { error: errorText(e.payload.error) });
      });
      cons.on(cons.events.GROUP_JOIN, (e) => {
        const partitions = Object.entries(e.payload.memberAssignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`));
        send({ type: 'assigned', partitions });
      });
    });
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    try {
      if (c.dead_letter_topic && !producer) {
        const p = kafka.producer({ allowAutoTopicCreation: true });
        await untilAborted(p.connect(), signal);
        producer = p;
      }
      await untilAborted(cons.connect(), signal);
      await untilAborted(cons.subscribe({ topics, fromBeginning: c.from_beginning }), signal);
      await untilAborted(cons.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || !batch.messages.length) return;
          forward(batch.topic, batch.partition, batch.highWatermark, batch.messages);
          // the fetch position moves on; what is committed is the main thread's low-water mark
          resolveOffset(batch.messages[batch.messages.length - 1].offset);
          await awaitCapacity(heartbeat);
          await heartbeat();
        },
      }), signal);
      send({ type: 'up', value: 1 });
      if (failures) log('info', 'kafka consumer reconnected', { source: init.name });
      failures = 0;
      const error = await Promise.race([crashed, aborted]);
      if (!signal.aborted) throw error ?? new Error('kafka consumer stopped');
    } catch (err) {
      send({ type: 'up', value: 0 });
      send({ type: 'consumer-error' });
      if (signal.aborted) break;
      failures++;
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(failures, 8)) * (0.5 + Math.random() / 2);
      log('warn', 'kafka consumer failed; reconnecting', { error: errorText(err), retry_in_ms: Math.round(delay), attempt: failures });
      await bounded(cons.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
      await sleep(delay, signal);
      continue;
    }
    break;
  }
}

class Aborted extends Error {}

/** untilAborted: p, or an Aborted rejection as soon as the source stops (kafkajs retries connects for long). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  p.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}


void run(stop.signal)
  .catch((err) => log('error', 'kafka consumer thread failed', { error: errorText(err) }))
  .finally(async () => {
    // leave the group so the partitions move at once; bounded: a broker that is away must not
    // keep the daemon from stopping
    await bounded(consumer?.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
    await bounded(producer?.disconnect().catch(() => undefined), SHUTDOWN_STEP_MS);
    send({ type: 'up', value: 0 });
    send({ type: 'stopped' });
    port.close();
  });
