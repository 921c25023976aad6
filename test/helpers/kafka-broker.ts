import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli';

/** TestBroker: a real single-node KRaft Kafka broker on 127.0.0.1, in a temp dir the test owns. */
export interface TestBroker {
  port: number;
  brokers: string[];
  dir: string;
  /** stop kills the broker (SIGTERM, then SIGKILL) and waits until it is gone */
  stop(): Promise<void>;
  /** restart starts it again on the same port and data dir (topics and committed offsets survive) */
  restart(): Promise<void>;
  /** close stops it and removes its data dir */
  close(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** freePortPair: a port p with p+1 also free (the broker listens on p, its controller on p+1). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    if (p < 65000 && (await portFree(p + 1))) return p;
  }
  throw new Error('no free pair of ports');
}

function startScript(port: number, dir: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts', 'kafka', 'start-broker.sh'), String(port), dir], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`start-broker.sh failed: ${err.message}\n${stderr}`));
      resolve(Number(stdout.trim().split('\n').pop()));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function kill(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/** startBroker starts a broker on a free port in a fresh temp dir (auto topic creation off unless asked). */
export async function startBroker(opts: { autoCreateTopics?: boolean; partitions?: number } = {}): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'recsysops-kafka-'));
  const port = await freePortPair();
  const env = { KAFKA_AUTO_CREATE_TOPICS: String(opts.autoCreateTopics ?? false), KAFKA_NUM_PARTITIONS: String(opts.partitions ?? 1) };
  let pid = await startScript(port, dir, env);
  const stop = async () => {
    if (pid) await kill(pid);
    pid = 0;
  };
  return {
    port,
    brokers: [`127.0.0.1:${port}`],
    dir,
    stop,
    restart: async () => {
      await stop();
      pid = await startScript(port, dir, env);
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
