import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CLI, ROOT, runCli } from '../helpers/cli';
import { smtpReceiver } from '../notify/helpers';

/**
 * Secrets live in environment variables named by the YAML, and never show up in what the daemon
 * prints, even at debug level, even when the peer it talks to repeats them back in its error.
 */

const RUN_MS = 15_000;
const dir = mkdtempSync(join(tmpdir(), 'rso-secrets-'));
const state = join(dir, 'state');
const checks = join(dir, 'checks');
mkdirSync(checks);
// the shipped checks (the demo's faults fire them) and one that fires at the first window
for (const f of readdirSync(join(ROOT, 'checks'))) copyFileSync(join(ROOT, 'checks', f), join(checks, f));
writeFileSync(join(checks, 'always.yaml'), 'kind: volume\nevent_type: impression\nwindow: 1m\nseverity: critical\ndetector:\n  kind: threshold\n  params: {max: 1}\n');

// distinctive values; the webhook's variable has a name that does not look secret, so only the
// config's `*_env` keys can tell the logger to mask it
const SMTP_SECRET = `Smtp-Pw-${randomBytes(6).toString('hex')}`;
const HOOK_SECRET = `Hook-Cred-${randomBytes(6).toString('hex')}`;
const forms = (s: string) => [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)];

/** a webhook receiver that is down for maintenance and repeats the request's Authorization header */
let hook: Server;
let hookHits = 0;
let hookAuth: string | undefined;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let configPath: string;

beforeAll(async () => {
  smtp = await smtpReceiver({ user: 'alerts', pass: 'the-right-one', echoOnReject: 'try again' });
  hook = createServer((req, res) => {
    hookHits++;
    hookAuth = req.headers.authorization;
    req.resume();
    res.writeHead(503, { 'content-type': 'text/plain' }).end(`maintenance; you sent authorization: ${req.headers.authorization}`);
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  configPath = join(dir, 'recsysops.yaml');
  writeFileSync(
    configPath,
    [
      'sources:',
      '  - name: demo',
      '    kind: demo',
      '    speed: 3600 # one simulated hour per real second',
      'notifiers:',
      '  - name: oncall-mail',
      '    kind: email',
      '    host: 127.0.0.1',
      `    port: ${smtp.port}`,
      '    from: recsysops@example.com',
      '    to: [oncall@example.com]',
      '    username: alerts',
      '    password_env: RSO_TEST_SMTP_PASSWORD',
      '    timeout_ms: 3000',
      '  - name: chat',
      '    kind: webhook',
      `    url: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      '    bearer_token_env: RSO_TEST_HOOK_CREDENTIAL',
      '    timeout_ms: 3000',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await smtp?.close();
  await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
});

/** every file under `d`, recursively */
function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
}

test('a running daemon never prints the secrets, while it logs the notifier failures', async () => {
  const child = spawn(process.execPath, [CLI, 'start', '-c', configPath, '--checks', checks, '--state', state, '--metrics-port', '0'], {
    cwd: dir,
    env: {
      ...process.env,
      RECSYSOPS_CONFIG: undefined,
      RECSYSOPS_STATE: undefined,
      RECSYSOPS_LOG_LEVEL: 'debug',
      RSO_TEST_SMTP_PASSWORD: SMTP_SECRET,
      RSO_TEST_HOOK_CREDENTIAL: HOOK_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_MS + 20_000);

  await new Promise((r) => setTimeout(r, RUN_MS));
  const running = child.exitCode === null;
  const stopAt = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  const stopMs = Date.now() - stopAt;
  clearTimeout(killer);

  const why = `\n--- stderr (last 3000 chars) ---\n${stderr.slice(-3000)}`;
  expect({ running, code, why }).toEqual({ running: true, code: 0, why });
  expect(stderr).toMatch(/recsysops started/);
  expect(stopMs).toBeLessThan(10_000);
  // the webhook's undelivered alerts are kept for the next start, and it says so
  expect(stderr).toMatch(/alerts not yet delivered are kept in the outbox for the next start/);
  expect(stderr).toMatch(/DEBUG /); // debug logging was on

  // the notifiers failed and said so: SMTP rejected the login (not retried), the webhook is retried
  expect(stderr).toMatch(/ERROR notification failed and will not be retried.* notifier=oncall-mail reason=auth error=notifier oncall-mail: SMTP 127\.0\.0\.1:\d+ \(EAUTH 535\)/);
  // the SMTP server repeated the password in its reply: masked
  expect(stderr).toContain('invalid credentials alerts/*** try again');
  expect(stderr).toMatch(/WARN +notification failed; will retry.* notifier=chat reason=server_error error=notifier chat: HTTP 503: maintenance; you sent authorization: Bearer \*\*\*/);
  expect(hookHits).toBeGreaterThan(1);
  // the peers did receive the secrets (so there was something to leak), and no mail went out
  expect(hookAuth).toBe(`Bearer ${HOOK_SECRET}`);
  expect(smtp.messages).toHaveLength(0);

  for (const secret of [SMTP_SECRET, HOOK_SECRET]) {
    for (const form of forms(secret)) {
      expect(stdout).not.toContain(form);
      expect(stderr).not.toContain(form);
    }
  }
  // nor in anything the daemon wrote to its state directory (issues, alert state, outbox)
  const written = files(state);
  expect(written.some((f) => f.includes(join('outbox', 'chat')))).toBe(true);
  for (const f of written) {
    const text = readFileSync(f, 'utf8');
    for (const secret of [SMTP_SECRET, HOOK_SECRET]) expect({ f, leaked: text.includes(secret) }).toEqual({ f, leaked: false });
  }
}, RUN_MS + 40_000);

test('with the named variable unset, start exits 1 naming it (and nothing runs)', async () => {
  const r = await runCli(['start', '-c', configPath, '--checks', checks, '--state', join(dir, 'state-unset'), '--metrics-port', '0'], {
    cwd: dir,
    env: { RSO_TEST_SMTP_PASSWORD: undefined, RSO_TEST_HOOK_CREDENTIAL: HOOK_SECRET },
    timeoutMs: 20_000,
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('RSO_TEST_SMTP_PASSWORD');
  expect(r.stderr).toMatch(/notifiers\.oncall-mail\.password_env: environment variable RSO_TEST_SMTP_PASSWORD is not set/);
  expect(r.stderr).not.toMatch(/recsysops started|source started/);
  expect(r.stderr).not.toContain(HOOK_SECRET);
});
