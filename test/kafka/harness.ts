import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { CLI } from '../helpers/cli';

/** until polls fn until it returns something other than undefined/false, or fails naming what it waited for. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function kafka(brokers: string[]): Kafka {
  return new Kafka({ brokers, clientId: 'recsysops-test', logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2000 } });
}

export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = kafka(brokers).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** produce sends raw values; partition i % partitions when given, so every partition gets some. */
export async function produce(brokers: string[], topic: string, values: Array<string | Buffer>, partitions?: number): Promise<void> {
  const p = kafka(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    await p.send({ topic, messages: values.map((value, i) => ({ value, partition: partitions ? i % partitions : undefined })) });
  } finally {
    await p.disconnect();
  }
}

/** impression: a valid event at epoch-ms ts. */
export function impression(ts: number, i: number): string {
  return JSON.stringify({ type: 'impression', ts, request_id: `r${i}`, user_id: `u${i % 97}`, item_id: `i${i % 13}`, position: i % 10, score: 0.5, model_version: 'v1', surface: 'home' });
}

/** a minute-aligned event time an hour ago: windows of 1m close by event time only (idle_close_after is 1d) */
export function baseMinute(): number {
  return Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
}

export interface Workspace {
  dir: string;
  state: string;
  config: string;
  alerts(): Array<{ check: string; status: string; value: number; startsAt: string }>;
  cleanup(): void;
}

/**
 * workspace: a recsysops.yaml with one kafka source and the file notifier, and one check: the number
 * of impressions per one-minute window, which "fires" on any window with events, so each alert's
 * value is the exact count of a window (double counting or loss shows in it).
 */
export function workspace(source: Record<string, unknown>): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'recsysops-kafka-ws-'));
  const checks = join(dir, 'checks');
  mkdirSync(checks);
  writeFileSync(
    join(checks, 'impressions-per-minute.yaml'),
    ['kind: volume', 'event_type: impression', 'window: 1m', 'detector:', '  kind: threshold', '  params: { max: 0 }', 'for: 1', ''].join('\n'),
  );
  const config = join(dir, 'recsysops.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      checks_dir: checks,
      sources: [{ name: 'events', kind: 'kafka', client_id: 'recsysops-test', ...source }],
      notifiers: [{ name: 'file', kind: 'file' }],
      pipeline: { allowed_lateness: '1m', idle_close_after: '1d' },
    }),
  );
  const state = join(dir, 'state');
  return {
    dir,
    state,
    config,
    alerts: () => {
      const f = join(state, 'alerts.ndjson');
      return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface DaemonProcess {
  metricsUrl: string;
  child: ChildProcess;
  stderr(): string;
  /** metric: the sum of a metric's samples whose labels contain `match` */
  metric(name: string, match?: string): Promise<number>;
  /** stop: SIGTERM (a clean stop) and wait for the exit */
  stop(): Promise<void>;
  /** crash: SIGKILL, nothing gets to run */
  crash(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** startDaemon runs the compiled `recsysops start` on the workspace's config, like a user. */
export async function startDaemon(ws: Workspace): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [CLI, 'start', '-c', ws.config, '--state', ws.state, '--metrics-port', '0'], {
    env: { ...process.env, RECSYSOPS_CONFIG: undefined, RECSYSOPS_STATE: undefined, RECSYSOPS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => (running.delete(child), resolve())));
  const metricsUrl = await until('the daemon to serve /metrics', () => {
    if (child.exitCode !== null) throw new Error(`daemon exited:\n${err}`);
    return err.match(/metrics=(http:\/\/127\.0\.0\.1:\d+\/metrics)/)?.[1];
  }, 30_000);
  return {
    metricsUrl,
    child,
    stderr: () => err,
    metric: async (name, match = '') => {
      const body = await (await fetch(metricsUrl)).text();
      let sum = 0;
      for (const line of body.split('\n')) {
        if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
        if (match && !line.includes(match)) continue;
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    stop: async () => {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 30_000)));
      const hung = await Promise.race([exited.then(() => false), late]);
      clearTimeout(timer);
      if (hung) {
        child.kill('SIGKILL');
        throw new Error(`the daemon did not exit within 30 s of SIGTERM:\n${err.split('\n').slice(-15).join('\n')}`);
      }
    },
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** killAll: whatever daemons a failed test left running */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
}
