import { alertmanagerNotifier } from '../../src/notify/integrations/alertmanager';
import { emailNotifier } from '../../src/notify/integrations/email';
import { webhookNotifier } from '../../src/notify/integrations/webhook';
import type { Logger } from '../../src/telemetry/logger';
import { runConformance, type Behaviour } from './conformance';
import { smtpError, smtpReceiver, webhookReceiver } from './helpers';

const SECRET = 's3cr3t-Pa55word-xyz';

runConformance({
  kind: 'webhook',
  secret: SECRET,
  authReason: 'client_error',
  async start(behaviour: Behaviour, logger: Logger) {
    const echo = (status: number) => (_n: number, req: { headers: Record<string, unknown> }) => ({
      status,
      body: `rejected, you sent ${String(req.headers.authorization)}`,
    });
    const answer = { accept: () => 200, transient: echo(503), permanent: echo(400), auth: echo(401) }[behaviour];
    const rx = await webhookReceiver(answer);
    const notifier = webhookNotifier.create(
      'ops-hook',
      webhookNotifier.schema.parse({ url: rx.url, bearer_token_env: 'HOOK_TOKEN' }),
      { logger, env: { HOOK_TOKEN: SECRET }, stateDir: '/nonexistent' },
    );
    return { notifier, delivered: () => rx.accepted().length, close: rx.close };
  },
  at(port, logger, timeoutMs) {
    const config = webhookNotifier.schema.parse({ url: `http://127.0.0.1:${port}/hook`, bearer_token_env: 'HOOK_TOKEN', timeout_ms: timeoutMs });
    return webhookNotifier.create('ops-hook', config, { logger, env: { HOOK_TOKEN: SECRET }, stateDir: '/nonexistent' });
  },
});

runConformance({
  kind: 'email',
  secret: SECRET,
  authReason: 'auth',
  async start(behaviour: Behaviour, logger: Logger) {
    const reject = (code: number) => ({
      onRcptTo: (_a: unknown, _s: unknown, cb: (err?: Error | null) => void) => cb(smtpError(code, `mailbox busy, you are ${SECRET}`)),
    });
    const extra = { accept: {}, transient: reject(451), permanent: reject(550), auth: {} }[behaviour];
    // for `auth` the server expects another password than the one the notifier has
    const rx = await smtpReceiver({ user: 'alerts', pass: behaviour === 'auth' ? 'other-password' : SECRET, echoOnReject: SECRET, ...extra });
    const config = emailNotifier.schema.parse({
      host: '127.0.0.1',
      port: rx.port,
      from: 'recsysops@example.com',
      to: ['oncall@example.com'],
      username: 'alerts',
      password_env: 'SMTP_PASSWORD',
      timeout_ms: 2000,
    });
    const notifier = emailNotifier.create('oncall-mail', config, { logger, env: { SMTP_PASSWORD: SECRET }, stateDir: '/nonexistent' });
    return { notifier, delivered: () => rx.messages.length, close: rx.close };
  },
  at(port, logger, timeoutMs) {
    const config = emailNotifier.schema.parse({
      host: '127.0.0.1',
      port,
      from: 'recsysops@example.com',
      to: ['oncall@example.com'],
      username: 'alerts',
      password_env: 'SMTP_PASSWORD',
      timeout_ms: timeoutMs,
    });
    return emailNotifier.create('oncall-mail', config, { logger, env: { SMTP_PASSWORD: SECRET }, stateDir: '/nonexistent' });
  },
});

// Alertmanager's API v2 over a real HTTP server answering as asked (the stack test, test/stack/,
// delivers to a real Alertmanager).
runConformance({
  kind: 'alertmanager',
  secret: SECRET,
  authReason: 'client_error',
  async start(behaviour: Behaviour, logger: Logger) {
    const echo = (status: number) => (_n: number, req: { headers: Record<string, unknown> }) => ({
      status,
      body: `rejected, you sent ${String(req.headers.authorization)}`,
    });
    const answer = { accept: () => 200, transient: echo(503), permanent: echo(400), auth: echo(401) }[behaviour];
    const rx = await webhookReceiver(answer);
    const notifier = alertmanagerNotifier.create(
      'team-am',
      alertmanagerNotifier.schema.parse({ url: rx.url.replace(/\/hook$/, ''), basic_auth: { username: 'recsysops', password_env: 'AM_PASSWORD' } }),
      { logger, env: { AM_PASSWORD: SECRET }, stateDir: '/nonexistent' },
    );
    return { notifier, delivered: () => rx.accepted().length, close: rx.close };
  },
  at(port, logger, timeoutMs) {
    const config = alertmanagerNotifier.schema.parse({ url: `http://127.0.0.1:${port}`, bearer_token_env: 'AM_TOKEN', timeout_ms: timeoutMs });
    return alertmanagerNotifier.create('team-am', config, { logger, env: { AM_TOKEN: SECRET }, stateDir: '/nonexistent' });
  },
});
