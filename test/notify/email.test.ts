import { ConfigError, NotifyError } from '../../src/errors';
import { classifySmtpError, emailConfigSchema, emailNotifier } from '../../src/notify/integrations/email';
import { alert, captureLogger, smtpReceiver } from './helpers';
import { decodeWords, parseMessage } from './mime';

const base = { host: '127.0.0.1', from: 'recsysops@example.com', to: ['oncall@example.com', 'ml@example.com'] };

describe('email notifier against a real SMTP server', () => {
  test('sends a firing alert an on-call engineer can act on', async () => {
    const rx = await smtpReceiver({ user: 'alerts', pass: 'hunter2-long' });
    const { logger } = captureLogger();
    const config = emailConfigSchema.parse({ ...base, port: rx.port, username: 'alerts', password_env: 'SMTP_PW', subject_prefix: '[prod]' });
    const notifier = emailNotifier.create('oncall-mail', config, { logger, env: { SMTP_PW: 'hunter2-long' }, stateDir: '/tmp' });
    const a = alert({ labels: { surface: '<script>alert(1)</script>' }, summary: 'drop on <b>home</b> & search' });
    try {
      await notifier.send([a]);
    } finally {
      await notifier.close?.();
      await rx.close();
    }

    expect(rx.messages).toHaveLength(1);
    const msg = parseMessage(rx.messages[0]);
    expect(decodeWords(msg.headers.subject)).toBe('[prod] [FIRING:critical] volume-impressions — drop on <b>home</b> & search');
    expect(msg.headers.from).toContain('recsysops@example.com');
    expect(msg.headers.to).toContain('oncall@example.com');
    expect(msg.headers.to).toContain('ml@example.com');

    const text = msg.parts.find((p) => p.headers['content-type'].startsWith('text/plain'));
    const html = msg.parts.find((p) => p.headers['content-type'].startsWith('text/html'));
    expect(text).toBeDefined();
    expect(html).toBeDefined();
    expect(text!.body).toContain('recsysops diagnose 7f3a9c21');
    expect(text!.body).toContain('800–1300');
    expect(text!.body).toContain('surface=<script>alert(1)</script>');
    expect(html!.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html!.body).not.toContain('<script>');
    expect(html!.body).toContain('drop on &lt;b&gt;home&lt;/b&gt; &amp; search');
    expect(html!.body).toContain('<code>recsysops diagnose 7f3a9c21</code>');
    expect(html!.body).toContain('href="https://wiki.local/runbooks/volume"');
  });

  test('a batch becomes one email listing every alert', async () => {
    const rx = await smtpReceiver();
    const notifier = emailNotifier.create('m', emailConfigSchema.parse({ ...base, port: rx.port }), { logger: captureLogger().logger, env: {}, stateDir: '/tmp' });
    try {
      await notifier.send([alert(), alert({ check: 'engagement-rate', issue_id: 'b1c2d3e4', status: 'resolved', endsAt: '2024-05-01T11:00:00.000Z' })]);
    } finally {
      await notifier.close?.();
      await rx.close();
    }
    expect(rx.messages).toHaveLength(1);
    const msg = parseMessage(rx.messages[0]);
    expect(decodeWords(msg.headers.subject)).toBe('[FIRING:critical] 2 alerts: volume-impressions and 1 more');
    const text = msg.parts.find((p) => p.headers['content-type'].startsWith('text/plain'))!.body;
    expect(text).toContain('recsysops diagnose 7f3a9c21');
    expect(text).toContain('recsysops diagnose b1c2d3e4');
  });

  test('a wrong password is a non-retriable auth failure that never shows the password', async () => {
    const rx = await smtpReceiver({ user: 'alerts', pass: 'the-right-one' });
    const config = emailConfigSchema.parse({ ...base, port: rx.port, username: 'alerts', password_env: 'SMTP_PW' });
    const notifier = emailNotifier.create('m', config, { logger: captureLogger().logger, env: { SMTP_PW: 'Wr0ng-Passw0rd!' }, stateDir: '/tmp' });
    try {
      const err = (await notifier.send([alert()]).catch((e: unknown) => e)) as NotifyError;
      expect(err).toBeInstanceOf(NotifyError);
      expect(err.reason).toBe('auth');
      expect(err.retriable).toBe(false);
      expect(err.message).not.toContain('Wr0ng-Passw0rd!');
      expect(rx.messages).toHaveLength(0);
    } finally {
      await notifier.close?.();
      await rx.close();
    }
  });
});

describe('email config', () => {
  test('fills defaults and rejects unknown keys', () => {
    const c = emailConfigSchema.parse({ host: 'smtp.example.com', from: 'a@b.c', to: ['x@y.z'] });
    expect(c).toMatchObject({ port: 587, secure: false, require_tls: false, timeout_ms: 10000 });
    expect(emailConfigSchema.safeParse({ ...c, pasword_env: 'X' }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...c, to: [] }).success).toBe(false);
  });

  test('username and password_env come together, and password_env is a variable name', () => {
    const c = { host: 'h', from: 'a@b.c', to: ['x@y.z'] };
    expect(emailConfigSchema.safeParse({ ...c, username: 'u' }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...c, username: 'u', password_env: 'hunter2 is my password' }).success).toBe(false);
    expect(emailConfigSchema.safeParse({ ...c, username: 'u', password_env: 'SMTP_PASSWORD' }).success).toBe(true);
  });

  test('a missing password variable fails at start-up, naming the variable', () => {
    const config = emailConfigSchema.parse({ host: 'h', from: 'a@b.c', to: ['x@y.z'], username: 'u', password_env: 'SMTP_PASSWORD' });
    expect(() => emailNotifier.create('m', config, { logger: captureLogger().logger, env: {}, stateDir: '/tmp' })).toThrow(ConfigError);
    expect(() => emailNotifier.create('m', config, { logger: captureLogger().logger, env: {}, stateDir: '/tmp' })).toThrow(/SMTP_PASSWORD/);
  });
});

describe('classifySmtpError', () => {
  test.each([
    [{ code: 'EAUTH', responseCode: 535 }, 'auth', false],
    [{ code: 'EENVELOPE', responseCode: 550 }, 'client_error', false],
    [{ code: 'EMESSAGE', responseCode: 554 }, 'client_error', false],
    [{ code: 'EENVELOPE', responseCode: 451 }, 'server_error', true],
    [{ code: 'EPROTOCOL', responseCode: 421 }, 'server_error', true],
    [{ code: 'EPROTOCOL', responseCode: 503 }, 'server_error', true],
    [{ code: 'ETIMEDOUT' }, 'timeout', true],
    [{ code: 'ESOCKET' }, 'connection', true],
    [{ code: 'ECONNECTION' }, 'connection', true],
    [{ code: 'EDNS' }, 'connection', true],
    [{ code: 'EENVELOPE' }, 'client_error', false],
    [{}, 'other', true],
  ])('%j → %s (retriable %s)', (err, reason, retriable) => {
    expect(classifySmtpError(err)).toEqual({ reason, retriable });
  });
});
