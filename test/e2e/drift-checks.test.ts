import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRecord } from '../../src/alerting/alert';
import { ROOT, runCli } from '../helpers/cli';

/**
 * The shipped drift checks on recorded demo days: a day with the default faults alerts during the
 * feature bug (+5h..+6h), the bad model (+7h..+8.5h) and the stale cache (+11h..+12h) and nowhere
 * else; the same world without faults raises nothing.
 */
const dir = mkdtempSync(join(tmpdir(), 'rso-drift-'));
const checks = join(dir, 'checks');
const HOUR = 3_600_000;
const START = Date.parse('2026-11-23T06:00:00Z');
const FAULTS = { 'feature-bug': [5, 6], 'bad-model': [7, 8.5], 'stale-cache': [11, 12] } as const;

async function replay(faults: 'default' | 'none'): Promise<AlertRecord[]> {
  const events = join(dir, `${faults}.ndjson`);
  const rec = await runCli(['demo', 'record', '--duration', '13h', '--faults', faults, '--start', new Date(START).toISOString(), '-o', events], { timeoutMs: 150_000 });
  expect(rec.code).toBe(0);
  const r = await runCli(['replay', '--json', '--checks', checks, '--state', join(dir, `state-${faults}`), events], { timeoutMs: 280_000 });
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/replayed \d{6,} events/);
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertRecord);
}

let faulty: AlertRecord[] = [];
let clean: AlertRecord[] = [];

beforeAll(async () => {
  mkdirSync(checks);
  for (const f of ['feature-drift.yaml', 'score-drift.yaml']) copyFileSync(join(ROOT, 'checks', f), join(checks, f));
  faulty = await replay('default');
  clean = await replay('none');
}, 600_000);

const hoursIn = (a: AlertRecord) => (Date.parse(a.startsAt) - START) / HOUR;
const during = (a: AlertRecord, [from, to]: readonly [number, number]) => hoursIn(a) >= from && hoursIn(a) <= to + 0.5;
const what = (a: AlertRecord) => `${a.check}/${a.labels.feature ?? a.labels.model_version}`;

describe('drift checks on a recorded demo day', () => {
  test('the feature bug pages feature-drift for the zeroed embeddings, within two windows', () => {
    const drift = faulty.filter((a) => a.status === 'firing' && a.check === 'feature-drift');
    expect(drift.map(what).sort()).toEqual(['item_emb_0', 'item_emb_1', 'item_emb_2', 'item_emb_3', 'user_emb_dot'].map((f) => `feature-drift/${f}`));
    for (const a of drift) expect(hoursIn(a)).toBeCloseTo(5 + 5 / 60, 6); // for: 2 → the end of the second 5-minute window
    expect(drift[0].summary).toMatch(/drifted from the last 24 windows: PSI \d+\.\d+ \(KS p<0\.001/);
  });

  test('the bad model pages score-drift for v2, and the stale cache for v1', () => {
    const scores = faulty.filter((a) => a.status === 'firing' && a.check === 'score-drift');
    expect(scores.some((a) => a.labels.model_version === 'v2' && during(a, FAULTS['bad-model']))).toBe(true);
    expect(scores.some((a) => a.labels.model_version === 'v1' && during(a, FAULTS['stale-cache']))).toBe(true);
  });

  test('every alert starts during a fault and is resolved after it', () => {
    const firing = faulty.filter((a) => a.status === 'firing');
    for (const a of firing) {
      expect([what(a), Object.values(FAULTS).some((span) => during(a, span))]).toEqual([what(a), true]);
      const resolved = faulty.find((r) => r.status === 'resolved' && r.fingerprint === a.fingerprint && r.issue_id === a.issue_id);
      expect(resolved?.endsAt).toBeDefined();
    }
  });

  test('a fault-free day raises nothing', () => {
    expect(clean).toEqual([]);
  });
});
