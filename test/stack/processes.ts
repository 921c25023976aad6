import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../helpers/cli';
import { freePort } from '../notify/helpers';

/**
 * processes: the real parts of the monitoring stack, each started on a free loopback port with a
 * temporary directory, and stopped (SIGTERM, then SIGKILL) by the test that started it.
 */
export interface Started {
  url: string;
  port: number;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

function launch(cmd: string, args: string[], dir: string, url: string, port: number, cwd?: string): Started {
  const child: ChildProcess = spawn(cmd, args, { cwd: cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RECSYSOPS_CONFIG: undefined, RECSYSOPS_STATE: undefined } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    url,
    port,
    dir,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** waitUntil polls `f` until it returns a value other than undefined, or throws with `what` after timeoutMs. */
export async function waitUntil<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number, everyMs = 500): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000}s${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function ready(s: Started, path: string, timeoutMs = 30_000): Promise<Started> {
  await waitUntil(`${s.url}${path} ready`, async () => ((await fetch(`${s.url}${path}`)).ok ? true : undefined), timeoutMs, 200).catch(async (e) => {
    await s.stop(); // never leave a process behind a failed start
    throw new Error(`${(e as Error).message}\n${s.output()}`);
  });
  return s;
}

/** startPrometheus runs the Debian `prometheus` with `config` (YAML text, may name files by absolute path). */
export async function startPrometheus(config: (port: number) => string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'rso-prom-'));
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), config(port));
  const s = launch(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    dir,
    `http://127.0.0.1:${port}`,
    port,
  );
  return ready(s, '/-/ready');
}

/** startAlertmanager runs the Debian `prometheus-alertmanager` with the given config file, clustering off. */
export async function startAlertmanager(configFile: string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'rso-am-'));
  const port = await freePort();
  const s = launch(
    'prometheus-alertmanager',
    [`--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    dir,
    `http://127.0.0.1:${port}`,
    port,
  );
  return ready(s, '/-/ready');
}

/** startDaemon runs the compiled `recsysops start` with `files` written into a temporary directory; resolves once /metrics answers. */
export async function startDaemon(files: Record<string, string>, args: string[]): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'rso-daemon-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const s = launch(process.execPath, [CLI, 'start', '--state', join(dir, 'state'), '--metrics-port', '0', ...args], dir, '', 0);
  const url = await waitUntil('the daemon logs its metrics URL', async () => /metrics=(http:\/\/127\.0\.0\.1:(\d+))\/metrics/.exec(s.output()) ?? undefined, 30_000, 100).catch(
    async (e) => {
      await s.stop(); // never leave a process behind a failed start
      throw new Error(`${(e as Error).message}\n${s.output()}`);
    },
  );
  return { ...s, url: url[1], port: Number(url[2]), stop: s.stop };
}
