import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/cli';

/**
 * A running daemon acts on `recsysops issues mark ID false-alarm` without a restart: at its next
 * evaluation of the check it resolves the alert (the console notifier prints the resolution) and
 * counts the false alarm on /metrics.
 */
const cwd = mkdtempSync(join(tmpdir(), 'rso-daemon-fa-'));
const state = join(cwd, 'state');
let child: ChildProcess;
let stdout = '';
let stderr = '';

beforeAll(() => {
  child = spawn(process.execPath, [CLI, 'start', '--state', state, '--metrics-port', '0'], {
    cwd,
    env: { ...process.env, RECSYSOPS_CONFIG: undefined, RECSYSOPS_STATE: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
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

test('the mark resolves the alert in the running daemon and is counted', async () => {
  const metricsUrl = await until('the metrics address', () => stderr.match(/metrics=(http:\/\/127\.0\.0\.1:\d+\/metrics)/)?.[1], 60_000);
  const [, check, id] = await until('a firing alert on stdout', () => stdout.match(/FIRING \w+ ([a-z0-9_.-]+)\S* .*· issue ([0-9a-f]{8})/) ?? undefined, 150_000);

  const mark = await runCli(['issues', 'mark', id, 'false-alarm', '--by', 'carol', '--note', 'known test traffic', '--state', state]);
  expect(mark.code).toBe(0);

  await until('the resolution on stdout', () => (new RegExp(`RESOLVED \\w+ ${check}\\S* .*· issue ${id}`).test(stdout) ? true : undefined), 120_000);
  const body = await (await fetch(metricsUrl)).text();
  expect(body).toMatch(new RegExp(`^recsysops_false_alarms_total\\{check="${check}"\\} 1$`, 'm'));
  const shown = await runCli(['issues', 'show', id, '--state', state]);
  expect(shown.stdout.split('\n')[0]).toMatch(new RegExp(`^issue ${id} +FALSE-ALARM `));
  expect(shown.stdout).toMatch(/^ +alert resolved as a false alarm at \S+; \d+ held-out value\(s\) learned$/m);
  expect(shown.stdout).toMatch(/^marked +false-alarm by carol at \S+: known test traffic$/m);
}, 330_000);
