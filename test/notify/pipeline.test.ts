import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import type { AlertRecord } from '../../src/alerting/alert';
import { fileConfigSchema, fileNotifier } from '../../src/notify/integrations/file';
import { webhookConfigSchema, webhookNotifier } from '../../src/notify/integrations/webhook';
import { createNotifyMetrics } from '../../src/notify/metrics';
import type { Notifier } from '../../src/notify/notifier';
import { NotifyPipeline, type NotifyPipelineOptions } from '../../src/notify/pipeline';
import { alert, captureLogger, webhookReceiver, waitFor } from './helpers';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rso-pipeline-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deps = () => ({ logger: captureLogger().logger, env: {}, stateDir: dir });
const hook = (url: string, name = 'hook') => webhookNotifier.create(name, webhookConfigSchema.parse({ url, timeout_ms: 2000 }), deps());

function pipeline(notifiers: Notifier[], over: Partial<NotifyPipelineOptions> = {}): NotifyPipeline {
  return new NotifyPipeline({
    notifiers,
    metrics: createNotifyMetrics(new Registry()),
    logger: captureLogger().logger,
    backoff: { minDelayMs: 10, maxDelayMs: 40 },
    ...over,
  });
}

const batches = (n: number): AlertRecord[][] => Array.from({ length: n }, (_, i) => [alert({ fingerprint: `fp-${i}`, issue_id: `issue-${i}` })]);
const received = (bodies: { body: string }[]) => bodies.map((r) => JSON.parse(r.body).alerts as AlertRecord[]);

describe('NotifyPipeline', () => {
  test('an outage then recovery delivers every batch, once, in order', async () => {
    const rx = await webhookReceiver((n) => (n < 4 ? 503 : 200));
    const p = pipeline([hook(rx.url)]);
    const sent = batches(3);
    for (const b of sent) p.enqueue(b);
    try {
      expect(await p.flush(10_000)).toBe(0);
    } finally {
      await p.close();
      await rx.close();
    }
    expect(received(rx.accepted())).toEqual(sent);
  });

  test('a broken webhook does not delay another notifier; flush reports what is still pending', async () => {
    const rx = await webhookReceiver(() => 503);
    const p = pipeline([hook(rx.url), fileNotifier.create('log', fileConfigSchema.parse({}), deps())]);
    p.enqueue([alert(), alert({ fingerprint: 'fp-2' })]);
    try {
      expect(await p.flush(300)).toBe(2);
      const lines = readFileSync(path.join(dir, 'alerts.ndjson'), 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l))).toEqual([alert(), alert({ fingerprint: 'fp-2' })]);
      expect(rx.requests.length).toBeGreaterThan(1);
    } finally {
      await p.close();
      await rx.close();
    }
  });

  test('alerts pending during an outage survive a restart through the outbox', async () => {
    const down = await webhookReceiver(() => 503);
    const first = pipeline([hook(down.url)], { stateDir: dir });
    const sent = batches(2);
    for (const b of sent) first.enqueue(b);
    await waitFor(() => down.requests.length >= 2);
    await first.close();
    await down.close();

    const outbox = JSON.parse(readFileSync(path.join(dir, 'outbox', 'hook.json'), 'utf8'));
    expect(outbox.batches).toEqual(sent);

    const up = await webhookReceiver();
    const registry = new Registry();
    const second = pipeline([hook(up.url)], { stateDir: dir, metrics: createNotifyMetrics(registry) });
    try {
      expect(await second.flush(5000)).toBe(0);
    } finally {
      await second.close();
      await up.close();
    }
    expect(received(up.accepted())).toEqual(sent);
    expect(JSON.parse(readFileSync(path.join(dir, 'outbox', 'hook.json'), 'utf8')).batches).toEqual([]);
  });

  test('close stops retry timers at once, keeps what is pending, and closes the notifiers', async () => {
    const rx = await webhookReceiver(() => 503);
    const n = hook(rx.url);
    let closed = 0;
    const p = pipeline([{ name: n.name, kind: n.kind, send: (a) => n.send(a), close: async () => void closed++ }], {
      stateDir: dir,
      backoff: { minDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    p.enqueue([alert()]);
    await waitFor(() => rx.requests.length === 1);
    await p.close();
    await p.close();
    expect(closed).toBe(1);
    expect(p.pending()).toBe(1);
    p.enqueue([alert({ fingerprint: 'late' })]);
    await waitFor(() => JSON.parse(readFileSync(path.join(dir, 'outbox', 'hook.json'), 'utf8')).batches.length === 2);
    expect(rx.requests).toHaveLength(1);
    await rx.close();
  });

  test('a programmer error in a notifier is not retried: the batch is dropped and counted as other', async () => {
    const registry = new Registry();
    const { logger, lines } = captureLogger();
    let calls = 0;
    const buggy: Notifier = {
      name: 'buggy',
      kind: 'test',
      send: async () => {
        calls++;
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    };
    const p = pipeline([buggy], { metrics: createNotifyMetrics(registry), logger });
    p.enqueue([alert()]);
    expect(await p.flush(2000)).toBe(0);
    await p.close();
    expect(calls).toBe(1);
    const failures = await registry.getSingleMetric('recsysops_notifier_failures_total')!.get();
    expect(failures.values).toEqual([{ labels: { notifier: 'buggy', reason: 'other' }, value: 1 }]);
    expect(lines.some((l) => JSON.parse(l).level === 'error' && l.includes('Cannot read properties'))).toBe(true);
  });

  test('a corrupt outbox is moved aside and the pipeline starts empty', async () => {
    mkdirSync(path.join(dir, 'outbox'), { recursive: true });
    writeFileSync(path.join(dir, 'outbox', 'hook.json'), '{not json');
    const rx = await webhookReceiver();
    const p = pipeline([hook(rx.url)], { stateDir: dir });
    expect(p.pending()).toBe(0);
    await p.close();
    await rx.close();
    expect(existsSync(path.join(dir, 'outbox', 'hook.json.corrupt'))).toBe(true);
  });

  test('notifier names must be unique', () => {
    expect(() => pipeline([hook('http://127.0.0.1:1/'), hook('http://127.0.0.1:2/')])).toThrow(/"hook" is used twice/);
  });

  test('flush resolves at once when nothing is pending', async () => {
    const p = pipeline([fileNotifier.create('log', fileConfigSchema.parse({}), deps())]);
    expect(await p.flush(60_000)).toBe(0);
    await p.close();
  });
});
