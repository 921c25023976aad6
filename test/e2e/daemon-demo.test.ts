import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';

/**
 * The README's first command, as a new user runs it: `recsysops start` with no configuration runs
 * the demo world; alerts show in the terminal, issues in `issues list`, metrics on /metrics.
 */
const cwd = mkdtempSync(join(tmpdir(), 'rso-daemon-')); // no recsysops.yaml, no checks/: the built-in defaults
const state = join(cwd, 'state');
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;

beforeAll(() => {
  child = spawn(process.execPath, [CLI, 'start', '--state', state, '--metrics-port', '0'], {
    cwd,
    env: { ...process.env, RECSYSOPS_CONFIG: undefined, RECSYSOPS_STATE: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('alerts appear in the terminal, issues in `issues list`, metrics on /metrics, within two minutes', async () => {
  const metricsUrl = await until('the metrics address', () => stderr.match(/metrics=(http:\/\/127\.0\.0\.1:\d+\/metrics)/)?.[1], 30_000);
  const firing = await until('a firing alert on stdout', () => stdout.match(/FIRING.*issue ([0-9a-f]{8})/)?.[1], 120_000);

  const list = await runCli(['issues', 'list', '--state', state]);
  expect(list.code).toBe(0);
  expect(list.stdout).toContain(firing);

  const body = await (await fetch(metricsUrl)).text();
  expect(body).toMatch(/^recsysops_events_consumed_total\{type="serving"\} [1-9]\d*$/m);
  expect(body).toMatch(/^recsysops_check_value\{check="impressions-volume",surface="home",[^}]*\} \d+/m);
  expect(body).toMatch(/^recsysops_check_status\{check="[a-z-]+",[^}]*\} 2$/m); // something is firing
  expect(body).toMatch(/^recsysops_alerts\{state="firing"\} [1-9]/m);
  expect(body).toMatch(/^recsysops_check_evaluation_duration_seconds_count\{check="impressions-volume"\} [1-9]/m);
  expect(body).toMatch(/^process_resident_memory_bytes \d+/m);

  // the scheduled (node-cron, every 15 s) freshness check runs on the demo's simulated clock
  const freshness = await until(
    'a scheduled freshness evaluation',
    async () => (await (await fetch(metricsUrl)).text()).match(/^recsysops_check_value\{check="impressions-freshness",[^}]*\} (\S+)$/m)?.[1],
    40_000,
  );
  expect(Number(freshness)).toBeGreaterThanOrEqual(0);
  expect(Number(freshness)).toBeLessThan(900); // the stream is fresh: no alert
}, 200_000);

test('SIGTERM stops the daemon cleanly', async () => {
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/stopping/);
}, 30_000);
