import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry as PromRegistry } from 'prom-client';
import type { AlertRecord } from '../../src/alerting/alert';
import { AlertManager } from '../../src/alerting/manager';
import type { EvidenceItem } from '../../src/check-kinds/kind';
import { builtinCheckKinds } from '../../src/check-kinds';
import type { LoadedCheck } from '../../src/config/load-checks';
import { builtinDetectors } from '../../src/detectors';
import { Evaluator } from '../../src/evaluation/evaluator';
import { createEvaluationMetrics } from '../../src/evaluation/metrics';
import { IssueStore } from '../../src/issues/store';
import { markIssue } from '../../src/issues/marks';
import { NotifyPipeline } from '../../src/notify/pipeline';
import { createNotifyMetrics } from '../../src/notify/metrics';
import { webhookNotifier } from '../../src/notify/integrations/webhook';
import { createLogger } from '../../src/telemetry/logger';
import { webhookReceiver } from '../notify/helpers';

/**
 * The evaluator's state logic with a real detector, alert manager and issue store, one evaluation
 * per minute. The detector is robust-zscore over the last 5 values, threshold 3, scale floor
 * 0.1·|median|, so every band below is computed by hand in the comments.
 */

const T0 = Date.parse('2026-11-28T00:00:00Z');
const MIN = 60_000;
const at = (m: number) => T0 + m * MIN;
const DETECTOR = { kind: 'robust-zscore', params: { window: 5, min_history: 3, threshold: 3, min_relative_scale: 0.1 } };

function harness(extra: Record<string, unknown> = {}, notify?: { enqueue(a: AlertRecord[]): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'rso-eval-'));
  const detectors = builtinDetectors();
  const kind = builtinCheckKinds().get('volume');
  const def = kind.schema.parse({ name: 'volume', kind: 'volume', event_type: 'impression', by: ['surface'], window: '1m', detector: DETECTOR, ...extra });
  const check = { def, kind, detectorParams: detectors.get('robust-zscore').params.parse(DETECTOR.params), file: 'volume.yaml' } as LoadedCheck;
  const registry = new PromRegistry();
  const sent: AlertRecord[] = [];
  const issues = new IssueStore(dir);
  const alerts = new AlertManager(join(dir, 'alert-state.json'));
  const evaluator = new Evaluator({
    detectors,
    alerts,
    issues,
    notify: notify ?? { enqueue: (batch) => sent.push(...batch) },
    metrics: createEvaluationMetrics(registry),
    logger: createLogger({ level: 'error' }),
    links: { dashboard_url: 'http://grafana.local/d/{dashboard}?var-check={check}' },
  });
  /** evaluate the 1-minute window ending at minute m */
  const step = (m: number, value: number, evidence?: EvidenceItem[]) =>
    evaluator.evaluate(check, [{ labels: { surface: 'home' }, value, evidence }], at(m), { start: at(m - 1), end: at(m) });
  const gauge = async (name: string) => {
    const values = (await registry.getSingleMetric(name)!.get()).values;
    return values.find((v) => v.labels.surface === 'home' || v.labels.check === 'volume' && !('surface' in v.labels))?.value;
  };
  const band = async () => [await gauge('recsysops_check_expected_lower'), await gauge('recsysops_check_expected_upper')];
  const counter = async (name: string) => (await registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.check === 'volume')?.value ?? 0;
  return { dir, sent, issues, alerts, step, gauge, band, counter, registry };
}

/** the normal start: 10, 11, 9, 10, 10 → baseline median 10, MAD 0, scale 0.1·10 = 1, band 7–13 */
async function warmUp(h: ReturnType<typeof harness>) {
  for (const [m, v] of [[1, 10], [2, 11], [3, 9], [4, 10], [5, 10]]) await h.step(m, v);
}

describe('baseline hygiene, visible', () => {
  test('the alert and its issue say how the band was computed and that the incident is kept out of it', async () => {
    const h = harness();
    await warmUp(h);
    await h.step(6, 20); // band 7–13: fires (for: 1); this first breaching value is learned → [11, 9, 10, 10, 20]
    const fired = h.sent.find((a) => a.status === 'firing')!;
    expect(fired.expected).toEqual({ lower: 7, upper: 13 });
    expect(fired.explanation).toEqual({
      detector: { kind: 'robust-zscore', params: { window: 5, min_history: 3, threshold: 3, min_relative_scale: 0.1, min_abs_scale: 1e-9, direction: 'both' } },
      basis: 'median ± 3·0.1·|median| of the last 5 values (median 10, MAD 0; MAD below the relative floor)',
      baseline_excludes: null,
      hygiene: expect.stringContaining('judged but not learned'),
      text: expect.stringMatching(/^Observed 20, expected 7–13\. Band: median ± 3·0\.1·\|median\| of the last 5 values .*\(detector robust-zscore \{"window":5,/),
    });
    expect(fired.diagnose_command).toBe(`recsysops diagnose ${fired.issue_id} --state ${h.dir}`);
    expect(fired.dashboard_url).toBe('http://grafana.local/d/recsysops-data?var-check=volume');

    // [11, 9, 10, 10, 20]: median 10, MAD 1 → scale 1.4826 → band 10 ± 4.4478; 20 and 18 are held out
    await h.step(7, 20);
    await h.step(8, 18);
    expect(await h.band()).toEqual([10 - 3 * 1.4826, 10 + 3 * 1.4826].map((x) => expect.closeTo(x, 9)));
    const issue = h.issues.get(fired.issue_id);
    expect(issue.evidence.explanation).toBe(fired.explanation!.text);
    // the resolution reports how many values the baseline excluded: 20 (00:07), 18 (00:08) and the
    // resolving 10 (00:09), judged while the alert was still firing
    await h.step(9, 10);
    const resolved = h.sent.find((a) => a.status === 'resolved')!;
    expect(resolved.explanation!.baseline_excludes).toEqual({ since: new Date(at(7)).toISOString(), values: 3 });
    expect(resolved.explanation!.text).toContain('3 values since 2026-11-28T00:07:00.000Z were judged but not learned');
  });

  test('the top 5 contributors of the observation go with the alert and the issue, and through a real webhook', async () => {
    const hook = await webhookReceiver();
    const logger = createLogger({ level: 'error' });
    const pipeline = new NotifyPipeline({
      notifiers: [webhookNotifier.create('hook', webhookNotifier.schema.parse({ url: hook.url }), { logger, env: {}, stateDir: '/tmp' })],
      metrics: createNotifyMetrics(new PromRegistry()),
      logger,
      backoff: { minDelayMs: 10, maxDelayMs: 10 },
    });
    try {
      const h = harness({}, pipeline);
      await warmUp(h);
      const evidence = Array.from({ length: 7 }, (_, i) => ({ name: `feature=f${i}`, value: 0.5 - i * 0.05, reference: 0.01, note: `PSI ${0.5 - i * 0.05}` }));
      await h.step(6, 20, evidence);
      expect(await pipeline.flush(5000)).toBe(0);
      const body = JSON.parse(hook.accepted()[0].body) as { alerts: AlertRecord[] };
      const a = body.alerts[0];
      expect(a.evidence).toEqual(evidence.slice(0, 5));
      expect(a.explanation!.detector.kind).toBe('robust-zscore');
      expect(a.explanation!.basis).toContain('of the last 5 values');
      expect(a.value).toBe(20);
      expect(a.expected).toEqual({ lower: 7, upper: 13 });
      expect(a.diagnose_command).toMatch(/^recsysops diagnose [0-9a-f]{8} --state /);
      expect(h.issues.get(a.issue_id).evidence.contributors).toEqual(evidence.slice(0, 5));
    } finally {
      await pipeline.close();
      await hook.close();
    }
  });
});

describe('false alarms', () => {
  /** fires at 00:06 and holds out 20 (00:07) and 20 (00:08); band while firing 10 ± 3·1.4826 */
  async function firing(h: ReturnType<typeof harness>) {
    await warmUp(h);
    await h.step(6, 20);
    await h.step(7, 20);
    await h.step(8, 20);
    return h.sent.find((a) => a.status === 'firing')!;
  }

  test('marked: resolved at the next evaluation, the held-out values are learned, the same episode does not re-fire', async () => {
    const h = harness();
    const fired = await firing(h);
    h.issues.update(fired.issue_id, (i) => markIssue(i, 'false-alarm', { by: 'alice', at: new Date(at(8) + 1000), note: 'planned backfill' }));

    // 00:09: the two held-out 20s are learned: [11,9,10,10,20] + 20 + 20 → [10,10,20,20,20],
    // median 20, MAD 0, scale 0.1·20 = 2, band 14–26. 40 is anomalous (z = 10) but may not fire
    // again until the series has been normal once.
    const changes = await h.step(9, 40);
    expect(changes.map((c) => c.transition)).toEqual(['resolved']);
    expect(await h.band()).toEqual([14, 26]);
    const resolved = h.sent.filter((a) => a.status === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      issue_id: fired.issue_id,
      endsAt: new Date(at(9)).toISOString(),
      false_alarm: { by: 'alice', note: 'planned backfill' },
      summary: 'volume {surface=home}: marked a false alarm by alice (planned backfill); resolved',
    });
    expect(h.sent.filter((a) => a.status === 'firing')).toHaveLength(1);
    expect(await h.counter('recsysops_false_alarms_total')).toBe(1);
    expect(await h.gauge('recsysops_check_status')).toBe(0);
    const issue = h.issues.get(fired.issue_id);
    expect(issue.status).toBe('false-alarm');
    expect(issue.false_alarm_applied).toEqual({ at: new Date(at(9)).toISOString(), relearned_values: 2 });
    expect(issue.resolved_at).toBe(new Date(at(9)).toISOString());

    // 00:10: [10,20,20,20,40] → median 20, MAD 0, band 14–26: 21 is normal, the suppression ends.
    await h.step(10, 21);
    // 00:11: [20,20,20,40,21] → median 20, MAD 0, band 14–26: 40 fires a new episode with a new issue.
    const again = await h.step(11, 40);
    expect(again.map((c) => c.transition)).toEqual(['fired']);
    const fired2 = h.sent.filter((a) => a.status === 'firing');
    expect(fired2).toHaveLength(2);
    expect(fired2[1].issue_id).not.toBe(fired.issue_id);
  });

  test('not marked: the same values keep the alert firing against the band without them', async () => {
    const h = harness();
    await firing(h);
    const changes = await h.step(9, 40);
    expect(changes).toEqual([]);
    expect(await h.band()).toEqual([10 - 3 * 1.4826, 10 + 3 * 1.4826].map((x) => expect.closeTo(x, 9)));
    expect(await h.gauge('recsysops_check_status')).toBe(2);
    expect(await h.counter('recsysops_false_alarms_total')).toBe(0);
  });

  test('marked and then confirmed an incident before the daemon looked: nothing happens', async () => {
    const h = harness();
    const fired = await firing(h);
    h.issues.update(fired.issue_id, (i) => markIssue(i, 'false-alarm', { by: 'alice', at: new Date(at(8)) }));
    h.issues.update(fired.issue_id, (i) => markIssue(i, 'incident', { by: 'bob', at: new Date(at(8)) }));
    expect(h.issues.get(fired.issue_id).status).toBe('open');
    expect(await h.step(9, 40)).toEqual([]);
    expect(await h.gauge('recsysops_check_status')).toBe(2);
  });
});

describe('mute windows', () => {
  const mute = [{ from: new Date(at(5)).toISOString(), to: new Date(at(8)).toISOString(), reason: 'maintenance' }];

  test('inside: judged and exported, not learned, no alert, status 3; outside: alerts as usual', async () => {
    const h = harness({ mute });
    await h.step(1, 10);
    await h.step(2, 11);
    await h.step(3, 9);
    await h.step(4, 10);
    await h.step(5, 10);
    // windows 00:05–00:06, 00:06–00:07, 00:07–00:08 are muted: 20 is far outside 7–13
    for (const m of [6, 7, 8]) {
      expect(await h.step(m, 20)).toEqual([]);
      expect(await h.gauge('recsysops_check_value')).toBe(20);
      expect(await h.gauge('recsysops_check_status')).toBe(3);
      expect(await h.counter('recsysops_check_muted')).toBe(1);
    }
    expect(h.sent).toEqual([]);
    // 00:09: not muted; the 20s were not learned, so the band is still 7–13
    await h.step(9, 10);
    expect(await h.band()).toEqual([7, 13]);
    expect(await h.counter('recsysops_check_muted')).toBe(0);
    expect((await h.step(10, 20)).map((c) => c.transition)).toEqual(['fired']);
  });

  test('a firing alert keeps its state through a mute window: no resolution is sent until it ends', async () => {
    // muted from 00:07 to 00:09: the windows ending at 00:08 and 00:09
    const h2 = harness({ mute: [{ from: new Date(at(7)).toISOString(), to: new Date(at(9)).toISOString() }] });
    await warmUp(h2);
    expect((await h2.step(6, 20)).map((c) => c.transition)).toEqual(['fired']);
    expect(await h2.step(8, 10)).toEqual([]); // normal again, but muted: still firing, nothing sent
    expect(h2.alerts.active()[0].phase).toBe('firing');
    expect(await h2.step(9, 10)).toEqual([]);
    expect((await h2.step(10, 10)).map((c) => c.transition)).toEqual(['resolved']);
  });
});
