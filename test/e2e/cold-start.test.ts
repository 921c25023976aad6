import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRecord } from '../../src/alerting/alert';
import { ROOT, runCli } from '../helpers/cli';

/**
 * The shipped cold-start checks on 30 recorded demo hours, through `recsysops replay --checks`:
 * the default faults starve item-starved-0 (launched +1h, not announced: the world had just started)
 * and item-starved-1 (announced +21h, launched +25h). The forecast is enabled in a copy of the
 * checks; replay's built-in demo config gives it the in-process demo model (`model: module demo`).
 */
const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T06:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'rso-coldstart-'));
const checks = join(dir, 'checks');
const at = (h: number) => START + h * HOUR;

async function replay(events: string, state: string): Promise<AlertRecord[]> {
  const r = await runCli(['replay', '--json', '--checks', checks, '--state', state, events], { timeoutMs: 240_000 });
  expect(r.code).toBe(0);
  return r.stdout.trim() ? r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertRecord) : [];
}

beforeAll(() => {
  mkdirSync(checks);
  for (const f of ['new-item-exposure.yaml', 'new-item-exposure-curve.yaml', 'new-item-share.yaml']) copyFileSync(join(ROOT, 'checks', f), join(checks, f));
  const forecast = readFileSync(join(ROOT, 'checks', 'launch-forecast.yaml'), 'utf8');
  expect(forecast).toMatch(/^enabled: false$/m);
  writeFileSync(join(checks, 'launch-forecast.yaml'), forecast.replace(/^enabled: false$/m, 'enabled: true'));
});

describe('cold-start checks on a recorded demo with starved items', () => {
  let alerts: AlertRecord[] = [];
  const state = join(dir, 'state');
  beforeAll(async () => {
    const events = join(dir, 'faults.ndjson');
    const rec = await runCli(['demo', 'record', '--duration', '30h', '--start', new Date(START).toISOString(), '-o', events], { timeoutMs: 240_000 });
    expect(rec.code).toBe(0);
    alerts = await replay(events, state);
  }, 480_000);
  const firing = (check: string) => alerts.filter((a) => a.status === 'firing' && a.check === check);
  const t = (a: AlertRecord) => Date.parse(a.startsAt);

  test('only the starved items are named, by the no-exposure, curve and forecast checks; the new-item share holds', () => {
    expect(new Set(alerts.map((a) => a.check))).toEqual(new Set(['new-item-exposure', 'new-item-exposure-curve', 'launch-forecast']));
    for (const a of alerts.filter((x) => x.status === 'firing')) expect(a.summary).not.toMatch(/item-new-/);
  });

  test('no exposure: item-starved-0 is named 2h after its launch', () => {
    const first = firing('new-item-exposure')[0];
    expect(t(first)).toBeGreaterThanOrEqual(at(3));
    expect(t(first)).toBeLessThanOrEqual(at(3.25));
    expect(first.summary).toContain('item-starved-0');
  });

  test('launch curve: both starved items are named far below comparable launches at their age', () => {
    const summaries = firing('new-item-exposure-curve').map((a) => a.summary);
    expect(summaries.some((s) => /item-starved-0 0 vs \d+ in \d+h/.test(s))).toBe(true);
    expect(summaries.some((s) => /item-starved-1 0 vs \d+ in \d+h/.test(s))).toBe(true);
  });

  test('forecast: item-starved-1 is warned about after its announcement and before its launch, then the alert resolves', async () => {
    const fc = firing('launch-forecast');
    expect(fc).toHaveLength(1);
    expect(t(fc[0])).toBeGreaterThanOrEqual(at(21));
    expect(t(fc[0])).toBeLessThan(at(25));
    expect(fc[0].summary).toMatch(/item-starved-1 \(below the top 10 for 100% of users, launches in \d+h/);
    const resolved = alerts.find((a) => a.status === 'resolved' && a.issue_id === fc[0].issue_id);
    expect(Date.parse(resolved!.endsAt!)).toBeGreaterThanOrEqual(at(25));
    const issue = JSON.parse((await runCli(['issues', 'show', fc[0].issue_id, '--state', state, '--json'])).stdout);
    expect(issue.evidence.details.forecasts[0]).toMatchObject({ item_id: 'item-starved-1', miss_share: 1, slate_size: 10, warn: true });
    expect(issue.evidence.details.past_launches).toBeGreaterThanOrEqual(5);
  });
});

test('a fault-free recording raises no cold-start alert', async () => {
  const events = join(dir, 'clean.ndjson');
  const rec = await runCli(['demo', 'record', '--duration', '30h', '--faults', 'none', '--seed', '7', '--start', new Date(START).toISOString(), '-o', events], { timeoutMs: 240_000 });
  expect(rec.code).toBe(0);
  expect(await replay(events, join(dir, 'clean-state'))).toEqual([]);
}, 480_000);
