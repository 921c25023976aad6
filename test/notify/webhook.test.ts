import { Registry } from 'prom-client';
import { ConfigError, NotifyError } from '../../src/errors';
import { webhookConfigSchema, webhookNotifier } from '../../src/notify/integrations/webhook';
import { createNotifyMetrics } from '../../src/notify/metrics';
import { NotifyPipeline } from '../../src/notify/pipeline';
import { alert, captureLogger, webhookReceiver } from './helpers';

const deps = (env: Record<string, string> = {}) => ({ logger: captureLogger().logger, env, stateDir: '/tmp' });

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = await registry.getSingleMetric(name)!.get();
  const v = m.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

describe('webhook notifier against a real HTTP server', () => {
  test('POSTs the alert records exactly, with version and overall status', async () => {
    const rx = await webhookReceiver();
    const records = [alert(), alert({ status: 'resolved', check: 'engagement-rate', endsAt: '2024-05-01T11:00:00.000Z', expected: null })];
    try {
      await webhookNotifier.create('hook', webhookConfigSchema.parse({ url: rx.url, headers: { 'X-Team': 'recs' } }), deps()).send(records);
    } finally {
      await rx.close();
    }
    expect(rx.requests).toHaveLength(1);
    expect(JSON.parse(rx.requests[0].body)).toEqual({ version: '1', status: 'firing', alerts: records });
    expect(rx.requests[0].headers['content-type']).toBe('application/json');
    expect(rx.requests[0].headers['x-team']).toBe('recs');
    expect(rx.requests[0].headers.authorization).toBeUndefined();
  });

  test('status is resolved when every alert in the batch is resolved', async () => {
    const rx = await webhookReceiver();
    try {
      await webhookNotifier.create('hook', webhookConfigSchema.parse({ url: rx.url }), deps()).send([alert({ status: 'resolved' })]);
    } finally {
      await rx.close();
    }
    expect(JSON.parse(rx.requests[0].body).status).toBe('resolved');
  });

  test('the bearer token from the environment arrives in the Authorization header', async () => {
    const rx = await webhookReceiver();
    try {
      const config = webhookConfigSchema.parse({ url: rx.url, bearer_token_env: 'OPS_HOOK_TOKEN' });
      await webhookNotifier.create('hook', config, deps({ OPS_HOOK_TOKEN: 'tok-123456' })).send([alert()]);
    } finally {
      await rx.close();
    }
    expect(rx.requests[0].headers.authorization).toBe('Bearer tok-123456');
  });

  test('429 is a retriable rate limit', async () => {
    const rx = await webhookReceiver(() => 429);
    try {
      const err = (await webhookNotifier.create('hook', webhookConfigSchema.parse({ url: rx.url }), deps()).send([alert()]).catch((e: unknown) => e)) as NotifyError;
      expect(err).toBeInstanceOf(NotifyError);
      expect(err.reason).toBe('rate_limited');
      expect(err.retriable).toBe(true);
    } finally {
      await rx.close();
    }
  });

  test('500 then 200: the pipeline delivers after one retry and counts one server_error', async () => {
    const rx = await webhookReceiver((n) => (n === 0 ? 500 : 200));
    const registry = new Registry();
    const pipeline = new NotifyPipeline({
      notifiers: [webhookNotifier.create('hook', webhookConfigSchema.parse({ url: rx.url }), deps())],
      metrics: createNotifyMetrics(registry),
      logger: captureLogger().logger,
      backoff: { minDelayMs: 10, maxDelayMs: 50 },
    });
    const a = alert();
    pipeline.enqueue([a]);
    try {
      expect(await pipeline.flush(5000)).toBe(0);
    } finally {
      await pipeline.close();
      await rx.close();
    }
    expect(rx.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(JSON.parse(rx.requests[1].body).alerts).toEqual([a]);
    expect(await metricValue(registry, 'recsysops_notifier_failures_total', { notifier: 'hook', reason: 'server_error' })).toBe(1);
    expect(await metricValue(registry, 'recsysops_notifications_total', { notifier: 'hook', status: 'sent' })).toBe(1);
    expect(await metricValue(registry, 'recsysops_notifier_queue_length', { notifier: 'hook' })).toBe(0);
  });

  test('400: the pipeline drops the alert after one attempt, counted as client_error and logged', async () => {
    const rx = await webhookReceiver(() => 400);
    const registry = new Registry();
    const { logger, lines } = captureLogger();
    const pipeline = new NotifyPipeline({
      notifiers: [webhookNotifier.create('hook', webhookConfigSchema.parse({ url: rx.url }), deps())],
      metrics: createNotifyMetrics(registry),
      logger,
      backoff: { minDelayMs: 10, maxDelayMs: 50 },
    });
    pipeline.enqueue([alert(), alert({ fingerprint: 'fp-2' })]);
    try {
      expect(await pipeline.flush(5000)).toBe(0);
    } finally {
      await pipeline.close();
      await rx.close();
    }
    expect(rx.requests).toHaveLength(1);
    expect(await metricValue(registry, 'recsysops_notifier_failures_total', { notifier: 'hook', reason: 'client_error' })).toBe(1);
    expect(await metricValue(registry, 'recsysops_notifications_total', { notifier: 'hook', status: 'failed' })).toBe(2);
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ notifier: 'hook', reason: 'client_error' });
  });
});

describe('webhook config', () => {
  test('requires an http(s) URL, rejects unknown keys, defaults the timeout', () => {
    expect(webhookConfigSchema.parse({ url: 'https://hooks.example.com/x' }).timeout_ms).toBe(5000);
    expect(webhookConfigSchema.safeParse({ url: 'ftp://example.com/x' }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ url: 'https://x.example', token: 'abc' }).success).toBe(false);
  });

  test('bearer_token_env and an Authorization header are exclusive', () => {
    const r = webhookConfigSchema.safeParse({ url: 'https://x.example', bearer_token_env: 'T', headers: { Authorization: 'Basic x' } });
    expect(r.success).toBe(false);
  });

  test('a missing token variable fails at start-up with a ConfigError naming it', () => {
    const config = webhookConfigSchema.parse({ url: 'https://x.example', bearer_token_env: 'OPS_HOOK_TOKEN' });
    expect(() => webhookNotifier.create('hook', config, deps())).toThrow(ConfigError);
    expect(() => webhookNotifier.create('hook', config, deps())).toThrow(/OPS_HOOK_TOKEN/);
  });
});
