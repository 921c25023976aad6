import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli';
import type { AlertRecord } from '../../src/alerting/alert';

/**
 * The input checks on recorded data, through `recsysops replay`: the shipped input checks on a
 * recorded demo day with its faults, and every measure on a small hand-written recording with one
 * injected problem at a time.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.parse('2026-11-23T06:00:00Z');
const SHIPPED = ['feature-null-rate.yaml', 'feature-inputs.yaml', 'duplicate-rate.yaml'];

const parseAlerts = (stdout: string): AlertRecord[] => (stdout.trim() ? stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertRecord) : []);
const startsIn = (a: AlertRecord, from: number, to: number) => Date.parse(a.startsAt) >= from && Date.parse(a.startsAt) <= to;
const name = (a: AlertRecord) => [a.check, a.labels.feature, a.labels.measure, a.labels.event_type, a.labels.segment].filter(Boolean).join('/');

describe('the shipped input checks on a recorded demo day with faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rso-inputs-demo-'));
  const checks = join(dir, 'checks');
  let alerts: AlertRecord[] = [];

  beforeAll(async () => {
    mkdirSync(checks);
    for (const f of SHIPPED) copyFileSync(join(ROOT, 'checks', f), join(checks, f));
    // the user knows an age is never negative: a given range judges from the first window
    writeFileSync(
      join(checks, 'item-age-range.yaml'),
      'kind: feature-quality\nwindow: 5m\nmeasures: [out_of_range_rate]\nfeatures: [item_age_hours]\nrange: {item_age_hours: [0, 1000000]}\n' +
        'detector: {kind: threshold, params: {max: 0.001}}\n',
    );
    // zero_rate on features that are never 0 when healthy (the shipped checks leave it out: see docs)
    writeFileSync(
      join(checks, 'embeddings-zero.yaml'),
      'kind: feature-quality\nwindow: 5m\nmeasures: [zero_rate]\nfeatures: [item_emb_0, user_emb_dot]\n' +
        'detector: {kind: robust-zscore, params: {direction: up, threshold: 5, min_abs_scale: 0.01}}\n',
    );
    const events = join(dir, 'day.ndjson');
    const rec = await runCli(['demo', 'record', '--duration', '13h', '--start', new Date(START).toISOString(), '-o', events]);
    expect(rec.code).toBe(0);
    const r = await runCli(['replay', '--json', '--state', join(dir, 'state'), '--checks', checks, events]);
    expect(r.code).toBe(0);
    alerts = parseAlerts(r.stdout);
  }, 120_000);

  test('the feature bug (+5h..+6h) pages on the nulled and zeroed features, the starved item (+1h) on its negative age, nothing else fires', () => {
    const firing = alerts.filter((a) => a.status === 'firing');
    expect(new Set(firing.map(name))).toEqual(
      new Set([
        'feature-null-rate/user_item_affinity/null_rate',
        'embeddings-zero/item_emb_0/zero_rate',
        'embeddings-zero/user_emb_dot/zero_rate',
        'item-age-range/item_age_hours/out_of_range_rate',
      ]),
    );
    for (const a of firing.filter((x) => x.check !== 'item-age-range')) expect(startsIn(a, START + 5 * HOUR, START + 6 * HOUR)).toBe(true);
    for (const a of firing.filter((x) => x.check === 'item-age-range')) expect(startsIn(a, START + 1 * HOUR, START + 1.25 * HOUR)).toBe(true);
    // the feature-bug alerts resolve once the bug is over; the starved item stays starved
    for (const a of firing.filter((x) => x.check !== 'item-age-range')) {
      expect(alerts.find((r) => r.status === 'resolved' && r.fingerprint === a.fingerprint)?.endsAt).toBeDefined();
    }
  });

  test('the out-of-range issue says which feature and how many values were outside the range', async () => {
    const a = alerts.find((x) => x.check === 'item-age-range' && x.status === 'firing')!;
    const r = await runCli(['issues', 'show', a.issue_id, '--state', join(dir, 'state'), '--json']);
    const details = JSON.parse(r.stdout).evidence.details;
    expect(details.range).toEqual([0, 1000000]);
    expect(details.matching).toBeGreaterThan(0);
    expect(details.matching / details.judged).toBeCloseTo(a.value, 10);
  });
});

/**
 * A hand-written hour: 30 requests a minute from DE and FR, one candidate each with a numeric
 * `price` in [10, 20] and a categorical `genre`, one impression per request. One problem at a time.
 */
function handWrittenHour(): string {
  const lines: string[] = [];
  for (let m = 0; m < 60; m++) {
    for (let i = 0; i < 30; i++) {
      const ts = START + m * MIN + i * 1000;
      const country = i % 2 ? 'FR' : 'DE';
      if (m >= 54 && m < 57 && country === 'FR') continue; // FR traffic lost
      let price: number | string = 10 + (i % 11);
      if (m >= 30 && m < 33 && i % 3 === 0) price = 500; // a unit change upstream (cents)
      if (m >= 42 && m < 45 && i % 3 === 0) price = String(price); // a number sent as a string
      const genre = m >= 36 && m < 39 && i % 2 === 0 ? 'horror' : ['drama', 'comedy', 'kids'][i % 3];
      const request_id = `r-${m}-${i}`;
      lines.push(JSON.stringify({
        type: 'serving', ts, request_id, user_id: `u${i}`, model_version: 'v1', surface: 'home', latency_ms: 20,
        context: { country }, candidates: [{ item_id: `item-${i}`, features: { price, genre } }], scores: [0.5],
      }));
      const impression = JSON.stringify({ type: 'impression', ts: ts + 10, request_id, user_id: `u${i}`, item_id: `item-${i}`, position: 0, score: 0.5, model_version: 'v1', surface: 'home' });
      lines.push(impression);
      if (m >= 48 && m < 51) lines.push(impression); // logged twice
    }
  }
  return lines.join('\n') + '\n';
}

describe('every input measure on a hand-written recording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rso-inputs-hand-'));
  const checks = join(dir, 'checks');
  const detector = 'detector: {kind: robust-zscore, params: {direction: up, threshold: 5, min_abs_scale: 0.01}}\n';
  let alerts: AlertRecord[] = [];
  let state = '';

  beforeAll(async () => {
    mkdirSync(checks);
    writeFileSync(
      join(checks, 'inputs.yaml'),
      'kind: feature-quality\nwindow: 1m\nmin_values: 10\nmeasures: [out_of_range_rate, type_change_rate, new_category_rate]\n' +
        'reference: {period: 10m, quantiles: [0, 1], margin: 0.1}\n' + detector,
    );
    writeFileSync(join(checks, 'dups.yaml'), 'kind: duplicate-rate\nwindow: 1m\nmin_events: 20\nevent_types: [impression, serving]\n' + detector);
    writeFileSync(
      join(checks, 'requests-by-country.yaml'),
      'kind: volume\nwindow: 1m\nevent_type: serving\nby: [context.country]\ndetector: {kind: robust-zscore, params: {direction: down, threshold: 5}}\n',
    );
    const events = join(dir, 'hour.ndjson');
    writeFileSync(events, handWrittenHour());
    state = join(dir, 'state');
    const r = await runCli(['replay', '--json', '--state', state, '--checks', checks, events]);
    expect(r.code).toBe(0);
    alerts = parseAlerts(r.stdout);
  }, 60_000);

  const firing = () => alerts.filter((a) => a.status === 'firing');
  const at = (minute: number) => START + minute * MIN;

  test('each injected problem raises its alert while it lasts, and nothing else fires', () => {
    const expected: Record<string, [number, number]> = {
      'inputs/price/out_of_range_rate': [30, 33],
      'inputs/genre/new_category_rate': [36, 39],
      'inputs/price/type_change_rate': [42, 45],
      'dups/impression': [48, 51],
      'requests-by-country/serving/context.country=FR': [54, 57],
    };
    expect(firing().map(name).sort()).toEqual(Object.keys(expected).sort());
    for (const a of firing()) {
      const [from, to] = expected[name(a)];
      expect({ alert: name(a), inFault: startsIn(a, at(from), at(to)) }).toEqual({ alert: name(a), inFault: true });
    }
  });

  test('the rates are what the recording holds', () => {
    const value = (n: string) => firing().find((a) => name(a) === n)!.value;
    expect(value('inputs/price/out_of_range_rate')).toBe(10 / 30); // i % 3 === 0: 10 of 30 prices are 500
    expect(value('inputs/genre/new_category_rate')).toBe(15 / 30);
    expect(value('inputs/price/type_change_rate')).toBe(10 / 30);
    expect(value('dups/impression')).toBe(30 / 60);
    expect(value('requests-by-country/serving/context.country=FR')).toBe(0);
  });

  test('the new-category issue names the new value', async () => {
    const a = firing().find((x) => name(x) === 'inputs/genre/new_category_rate')!;
    const r = await runCli(['issues', 'show', a.issue_id, '--state', state, '--json']);
    expect(JSON.parse(r.stdout).evidence.details.new_values).toEqual({ horror: 15 });
  });

  test('every alert resolves once its problem is over', () => {
    for (const a of firing()) expect(alerts.some((r) => r.status === 'resolved' && r.fingerprint === a.fingerprint)).toBe(true);
  });
});
