import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import type { AlertRecord } from '../../src/alerting/alert';

/**
 * A first session on recorded data, as the README walks it: record a demo day with its injected
 * faults, replay it through the shipped checks, and diagnose the issues it opened.
 */
const dir = mkdtempSync(join(tmpdir(), 'rso-replay-'));
const events = join(dir, 'day.ndjson');
const state = join(dir, 'state');
const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T06:00:00Z');
let alerts: AlertRecord[] = [];
let replayStderr = '';

beforeAll(async () => {
  const rec = await runCli(['demo', 'record', '--duration', '13h', '--start', new Date(START).toISOString(), '-o', events]);
  expect(rec.code).toBe(0);
  const r = await runCli(['replay', '--json', '--state', state, events]);
  replayStderr = r.stderr;
  expect(r.code).toBe(0);
  alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertRecord);
}, 120_000);

const firing = () => alerts.filter((a) => a.status === 'firing');
const during = (a: AlertRecord, fromH: number, toH: number) => {
  const t = Date.parse(a.startsAt);
  return t >= START + fromH * HOUR && t <= START + toH * HOUR;
};
const issueOf = (check: string, fromH: number, toH: number) => firing().find((a) => a.check === check && during(a, fromH, toH))!.issue_id;

describe('replay of a recorded demo day', () => {
  test('stdout carries exactly the design alert records, one per line; logs stay on stderr', () => {
    expect(alerts.length).toBeGreaterThan(0);
    const keys = ['fingerprint', 'check', 'status', 'severity', 'labels', 'value', 'expected', 'summary', 'startsAt', 'issue_id'];
    for (const a of alerts) {
      for (const k of keys) expect(a).toHaveProperty(k);
      // the design's record, extended additively by docs/alerts.md (explanation, evidence, diagnose_command, false_alarm)
      const optional = ['endsAt', 'dashboard_url', 'runbook_url', 'explanation', 'evidence', 'diagnose_command', 'false_alarm'];
      expect(Object.keys(a).filter((k) => ![...keys, ...optional].includes(k))).toEqual([]);
      expect(a.issue_id).toMatch(/^[0-9a-f]{8}$/);
    }
    expect(replayStderr).toMatch(/replayed \d+ events/);
  });

  test('each injected fault raises its alert, in event time, and nothing else fires', () => {
    const got = firing().map((a) => `${a.check}${a.labels.surface ? `/${a.labels.surface}` : ''}${a.labels.feature ? `/${a.labels.feature}` : ''}`);
    expect(new Set(got)).toEqual(
      new Set([
        'new-item-exposure', 'new-item-exposure-curve', 'impressions-volume/home', 'feature-null-rate/user_item_affinity', 'engagement-rate', 'serving-latency',
        // model-output checks (docs/checks-outputs.md): the feature bug, the bad model and the stale cache
        'engaged-rank', 'popularity-concentration', 'model-version-mix', 'catalog-coverage',
        // the drift checks: the zeroed embeddings of the feature bug, and the engaged scores of feature bug, bad model and stale cache
        ...['item_emb_0', 'item_emb_1', 'item_emb_2', 'item_emb_3', 'user_emb_dot'].map((f) => `feature-drift/${f}`), 'score-drift',
      ]),
    );
    const one = (check: string) => firing().filter((a) => a.check === check);
    expect(one('new-item-exposure').every((a) => during(a, 3, 3.5) && /item-starved-0/.test(a.summary))).toBe(true); // launched +1h, grace 2h
    // compared with later launches once five have lived as long (docs/cold-start.md)
    expect(one('new-item-exposure-curve').every((a) => /item-starved-0 0 vs/.test(a.summary))).toBe(true);
    expect(one('impressions-volume').every((a) => during(a, 3, 4))).toBe(true); // volume drop +3h..+4h
    expect(one('feature-null-rate').every((a) => during(a, 5, 6))).toBe(true); // feature bug +5h..+6h
    expect(one('serving-latency').every((a) => during(a, 9.5, 10.25))).toBe(true); // latency spike
    // engagement falls under the feature bug, the bad model (+7h..+8.5h) and the stale cache (+11h..+12h)
    const engagement = one('engagement-rate');
    expect([5, 7, 11].map((h) => engagement.some((a) => during(a, h, h + 1.5)))).toEqual([true, true, true]);
  });

  test('every firing alert is resolved once its fault is over, with an end time', () => {
    for (const a of firing().filter((x) => !x.check.startsWith('new-item-exposure'))) { // the starved item stays starved
      const resolved = alerts.find((r) => r.status === 'resolved' && r.fingerprint === a.fingerprint && r.issue_id === a.issue_id);
      expect(resolved?.endsAt).toBeDefined();
    }
  });

  test('the file notifier wrote the same records to the state directory', () => {
    const lines = readFileSync(join(state, 'alerts.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(alerts);
  });

  test('the issue keeps the evidence and the exact diagnose command', async () => {
    const id = issueOf('impressions-volume', 3, 4);
    const r = await runCli(['issues', 'show', id, '--state', state, '--json']);
    const issue = JSON.parse(r.stdout);
    expect(issue.evidence).toMatchObject({
      detector: { kind: 'seasonal', params: expect.objectContaining({ direction: 'down', until_ready: expect.objectContaining({ threshold: 5 }) }) },
      expected: { lower: expect.any(Number), upper: null },
      baseline: expect.stringMatching(/median.*until the rhythm is learned/),
    });
    expect(issue.evidence.value).toBeLessThan(issue.evidence.expected.lower);
    expect(issue.diagnose_command).toBe(`recsysops diagnose ${id} --state ${state}`);
    expect(issue.capture.failing.sampled).toBeGreaterThan(0);
  });
});

describe('diagnose on the issues the replay opened', () => {
  const diagnose = async (id: string) => {
    const r = await runCli(['diagnose', id, '--state', state, '--json']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  test('the feature-pipeline bug is a data problem, with the broken features on top', async () => {
    const report = await diagnose(issueOf('engagement-rate', 5, 6.5));
    expect(report.verdict).toBe('data');
    const broken = (report.features as Array<{ feature: string; failing: number; reference: number }>).filter((f) => f.failing - f.reference > 0.9).map((f) => f.feature);
    // the bug nulls user_item_affinity and zeroes the embeddings; healthy features are not blamed
    expect(new Set(broken)).toEqual(new Set(['user_item_affinity', 'item_emb_0', 'item_emb_1', 'item_emb_2', 'item_emb_3', 'user_emb_dot']));
    expect(report.features.map((f: { feature: string }) => f.feature)).not.toContain('item_popularity');
  });

  test('the bad model version is a model problem', async () => {
    const report = await diagnose(issueOf('engagement-rate', 7, 8.5));
    expect(report).toMatchObject({ verdict: 'model', model_versions: { failing: 'v2', reference: 'v1' } });
  });

  test('the serving cache fault does not reproduce in isolation', async () => {
    const report = await diagnose(issueOf('engagement-rate', 11, 12.5));
    expect(report.verdict).toBe('not_reproducible');
    expect(report.reproduce.share).toBeLessThan(0.5);
  });

  test('the report is saved with the issue and `issues show` prints it', async () => {
    const id = issueOf('engagement-rate', 7, 8.5);
    await diagnose(id);
    const r = await runCli(['issues', 'show', id, '--state', state]);
    expect(r.stdout).toMatch(/diagnosis\s+MODEL/);
  });

  test('an unreachable model endpoint is a clear error and exit code, not a stack trace', async () => {
    const r = await runCli(['diagnose', issueOf('engagement-rate', 7, 8.5), '--state', state, '--model-url', 'http://127.0.0.1:9/models/{version}/score']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unreachable.*\[RSO_ERR_MODEL_UNAVAILABLE\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
