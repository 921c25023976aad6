import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import { DemoSource } from '../demo/source';
import { UsageError, RecsysopsError } from '../errors';
import { createLogger } from '../telemetry/logger';
import type { RawRecord } from '../sources/source';
import { progressBar } from './progress';

interface KafkaTarget {
  brokers: string;
  topic: string;
  clientId?: string;
}

function parseBrokers(s: string): string[] {
  const list = s.split(',').map((b) => b.trim()).filter(Boolean);
  if (!list.length || list.some((b) => !/^[^\s:]+:\d+$/.test(b))) throw new UsageError(`--brokers must be host:port[,host:port…], not "${s}"`);
  return list;
}

async function connectProducer(o: KafkaTarget): Promise<Producer> {
  const kafka = new Kafka({ brokers: parseBrokers(o.brokers), clientId: o.clientId ?? 'recsysops-produce', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5000 } });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
  try {
    await producer.connect();
  } catch (err) {
    throw new RecsysopsError('RSO_ERR_KAFKA_UNAVAILABLE', `cannot reach Kafka at ${o.brokers}: ${(err as Error).message}`, { retriable: true, cause: err });
  }
  return producer;
}

/** keyOf: the value of a JSON field of the line, as the message key (so one user's events share a partition). */
function keyOf(line: string, field: string | undefined): string | null {
  if (!field) return null;
  try {
    const v = (JSON.parse(line) as Record<string, unknown>)[field];
    return v === undefined || v === null ? null : String(v);
  } catch {
    return null;
  }
}

/**
 * produceCommand sends NDJSON lines (files in order, `-` for stdin) to a Kafka topic, one message per
 * non-empty line, unchanged: malformed lines go too, as they would in production. `--rate` caps the
 * messages per second, to replay recorded logs at a realistic pace.
 */
export async function produceCommand(files: string[], opts: KafkaTarget & { rate?: string; key?: string; batch: string }): Promise<void> {
  const rate = opts.rate === undefined ? Infinity : Number(opts.rate);
  if (!(rate > 0)) throw new UsageError(`--rate must be a positive number of messages per second, not "${opts.rate}"`);
  const batchSize = Math.max(1, Math.min(Number(opts.batch) || 500, Number.isFinite(rate) ? Math.ceil(rate / 10) : Infinity));
  const inputs = files.length ? files : ['-'];
  let total = 0;
  for (const f of inputs) if (f !== '-') total += statSync(f).size; // fails early on a missing file
  const producer = await connectProducer(opts);
  const bar = progressBar(`producing to ${opts.topic}`);
  const started = Date.now();
  let sent = 0;
  let bytes = 0;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  try {
    for (const f of inputs) {
      const lines = createInterface({ input: f === '-' ? process.stdin : createReadStream(f), crlfDelay: Infinity });
      let batch: Message[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await producer.send({ topic: opts.topic, messages: batch });
        sent += batch.length;
        batch = [];
        if (Number.isFinite(rate)) {
          const due = started + (sent / rate) * 1000;
          if (due > Date.now()) await delay(due - Date.now());
        }
        if (total) bar.update(Math.min(bytes, total), total);
      };
      for await (const line of lines) {
        if (stopped) break;
        bytes += Buffer.byteLength(line) + 1;
        if (!line.trim()) continue;
        batch.push({ key: keyOf(line, opts.key), value: line });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      if (stopped) break;
    }
  } finally {
    process.off('SIGINT', stop);
    bar.done();
    await producer.disconnect();
  }
  const secs = (Date.now() - started) / 1000;
  process.stderr.write(`produced ${sent} messages to ${opts.topic} in ${secs.toFixed(1)} s (${Math.round(sent / Math.max(secs, 0.001))}/s)\n`);
}

/**
 * demoProduceCommand runs the demo world (its users, items, model and injected faults) and sends its
 * events to a Kafka topic as they happen: in real time by default (`--speed 1`), so a daemon with the
 * system clock consumes them as live traffic. Stops on Ctrl-C or after `--duration` of real time.
 */
export async function demoProduceCommand(opts: KafkaTarget & { speed: string; seed: string; duration?: string }): Promise<void> {
  const speed = Number(opts.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number, not "${opts.speed}"`);
  const producer = await connectProducer(opts);
  const logger = createLogger({ level: (process.env.RECSYSOPS_LOG_LEVEL as 'info') ?? 'info' });
  const source = new DemoSource({ logger, speed, seed: Number(opts.seed), startTime: Date.now(), tickMs: 250 });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = opts.duration ? setTimeout(stop, Number(opts.duration) * 1000) : undefined;
  let sent = 0;
  const progress = setInterval(() => logger.info('demo produce', { sent, topic: opts.topic }), 10_000);
  try {
    await source.run(
      {
        push: async (records: RawRecord[]) => {
          await producer.send({ topic: opts.topic, messages: records.map((r) => ({ value: typeof r.payload === 'object' && !Buffer.isBuffer(r.payload) ? JSON.stringify(r.payload) : r.payload })) });
          sent += records.length;
        },
      },
      abort.signal,
    );
  } finally {
    clearInterval(progress);
    if (timer) clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await producer.disconnect();
  }
  process.stderr.write(`produced ${sent} demo events to ${opts.topic}\n`);
}
