import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoScore } from '../../src/demo/model';
import { startModelServer, type ModelServer } from '../../src/demo/model-server';
import type { AlertRecord } from '../../src/alerting/alert';
import { runCli } from '../helpers/cli';

/**
 * `recsysops diagnose` on the issues a recorded demo day opens: the verdicts, the 2×2 swap table,
 * the feature attribution, the three model adapters (the in-process demo model, the generic HTTP
 * protocol and KServe v2 against a real model server), and the failure modes a user meets.
 */
const dir = mkdtempSync(join(tmpdir(), 'rso-diag-'));
const state = join(dir, 'state');
const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T06:00:00Z');
let alerts: AlertRecord[] = [];
let server: ModelServer;

beforeAll(async () => {
  const events = join(dir, 'day.ndjson');
  expect((await runCli(['demo', 'record', '--duration', '13h', '--start', new Date(START).toISOString(), '-o', events])).code).toBe(0);
  const r = await runCli(['replay', '--json', '--state', state, events]);
  expect(r.code).toBe(0);
  alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertRecord);
  server = await startModelServer({ score: demoScore, modelName: 'ranker' });
}, 120_000);
afterAll(() => server?.close());

const issueOf = (check: string, fromH: number, toH: number) =>
  alerts.find((a) => a.status === 'firing' && a.check === check && Date.parse(a.startsAt) >= START + fromH * HOUR && Date.parse(a.startsAt) <= START + toH * HOUR)!.issue_id;
const featureBug = () => issueOf('engagement-rate', 5, 6.5);
const badModel = () => issueOf('engagement-rate', 7, 8.5);
const staleCache = () => issueOf('engagement-rate', 11, 12.5);

async function diagnoseJson(id: string, extra: string[] = []) {
  const r = await runCli(['diagnose', id, '--state', state, '--json', ...extra]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('verdicts on demo-world issues', () => {
  test('a feature-pipeline bug is a data problem: failing inputs are bad under both models, the broken features top the attribution', async () => {
    const r = await diagnoseJson(featureBug());
    expect(r.verdict).toBe('data');
    expect(r.swap).toMatchObject({ failing_current: { bad: true }, failing_good: { bad: true }, reference_current: { bad: false }, reference_good: { bad: false } });
    // the model reads user_item_affinity and user_emb_dot; the bug nulls the one and zeroes the other
    const top = r.attribution.entries.slice(0, 2).map((e: { unit: string }) => e.unit);
    expect(new Set(top)).toEqual(new Set(['user_item_affinity', 'user_emb_dot']));
    const restored = (u: string) => r.attribution.entries.find((e: { unit: string }) => e.unit === u);
    expect((restored('user_item_affinity').shapley ?? restored('user_item_affinity').restored) + (restored('user_emb_dot').shapley ?? restored('user_emb_dot').restored)).toBeGreaterThan(0.8);
    expect(restored('item_popularity').shapley ?? restored('item_popularity').restored).toBeLessThan(0.1);
    // the zeroed embedding group is named in the input evidence (the model does not read it, so it restores nothing)
    expect(restored('item_emb_*').features).toEqual(['item_emb_0', 'item_emb_1', 'item_emb_2', 'item_emb_3']);
    const drifted = r.inputs.filter((e: { psi: number }) => e.psi > 1).map((e: { feature: string }) => e.feature);
    expect(new Set(drifted)).toEqual(new Set(['user_item_affinity', 'user_emb_dot', 'item_emb_0', 'item_emb_1', 'item_emb_2', 'item_emb_3']));
  });

  test('a bad model version is a model problem: healthy inputs are bad under it, the failing inputs fine under the last good one', async () => {
    const r = await diagnoseJson(badModel());
    expect(r).toMatchObject({ verdict: 'model', model_versions: { failing: 'v2', reference: 'v1' } });
    expect(r.swap).toMatchObject({ reference_current: { bad: true, version: 'v2' }, failing_good: { bad: false, version: 'v1' } });
    expect(r.model_agreement).toBeLessThan(0);
  });

  test('a serving cache fault does not reproduce: the replayed scores differ from the logged ones', async () => {
    const r = await diagnoseJson(staleCache());
    expect(r.verdict).toBe('not_reproducible');
    expect(r.reproduce.share).toBeLessThan(0.5);
  });
});

describe('the report', () => {
  test('the terminal report gives the verdict first, then the 2×2 table, the top features and what was replayed', async () => {
    const r = await runCli(['diagnose', featureBug(), '--state', state]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/^\s+DATA PROBLEM/);
    expect(r.stdout).toMatch(/failing inputs \(\d+\)\s+\d\.\d\d BAD\s+\d\.\d\d BAD/);
    expect(r.stdout).toMatch(/reference inputs \(\d+\)\s+\d\.\d\d ok\s+\d\.\d\d ok/);
    expect(r.stdout).toMatch(/features .*\n\s+(user_item_affinity|user_emb_dot)\s+\d+\.\d%\s+(null|zero)/);
    expect(r.stdout).toMatch(/replayed\s+\d+ requests in \d+\.\d\d s/);
  });

  test('--markdown pastes into a ticket: verdict, swap table, features table', async () => {
    const r = await runCli(['diagnose', badModel(), '--state', state, '--markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\*\*Verdict: MODEL PROBLEM.*\(`model`\)/);
    expect(r.stdout).toMatch(/\| reference inputs \(\d+\) \| \d\.\d\d BAD/);
  });

  test('the report is saved with the issue and `issues show` prints the verdict, the swap health and the top features', async () => {
    await diagnoseJson(featureBug());
    const r = await runCli(['issues', 'show', featureBug(), '--state', state]);
    expect(r.stdout).toMatch(/diagnosis\s+DATA/);
    expect(r.stdout).toMatch(/swap health: failing×current \d\.\d\d BAD/);
    expect(r.stdout).toMatch(/top features: (user_item_affinity|user_emb_dot)/);
  });
});

describe('model adapters against a real model server', () => {
  test('the generic HTTP protocol through --model-url, in batches', async () => {
    const before = { calls: server.stats.calls, requests: server.stats.requests };
    const r = await diagnoseJson(badModel(), ['--model-url', `${server.url}/models/{version}/score`]);
    expect(r).toMatchObject({ verdict: 'model', model_versions: { failing: 'v2', reference: 'v1' } });
    const calls = server.stats.calls - before.calls;
    expect(server.stats.requests - before.requests).toBe(r.replayed_requests);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(r.replayed_requests / 10); // batched, not one call per request
    expect(server.stats.paths).toContain('/models/v2/score');
  });

  test('KServe / Open Inference Protocol v2 from recsysops.yaml', async () => {
    const config = join(dir, 'kserve.yaml');
    writeFileSync(config, `sources:\n  - {name: demo, kind: demo}\nmodel:\n  adapter: kserve-v2\n  url: ${server.url}\n  model: ranker\n  batch_size: 32\n`);
    const r = await diagnoseJson(featureBug(), ['-c', config]);
    expect(r.verdict).toBe('data');
    expect(server.stats.paths).toContain('/v2/models/ranker/versions/v1/infer');
  });

  test('an unreachable endpoint is a clear error with exit code 1, not a stack trace', async () => {
    const r = await runCli(['diagnose', featureBug(), '--state', state, '--model-url', 'http://127.0.0.1:9/models/{version}/score']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model endpoint http:\/\/127\.0\.0\.1:9\/models\/v1\/score unreachable.*\[RSO_ERR_MODEL_UNAVAILABLE\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  test('no model configured is a usage error naming both ways to give one', async () => {
    const config = join(dir, 'nomodel.yaml');
    writeFileSync(config, 'sources:\n  - {name: events, kind: ndjson, paths: [x.ndjson]}\n');
    const r = await runCli(['diagnose', featureBug(), '--state', state, '-c', config]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--model-url.*model:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
