import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from '../helpers/cli';
import { runCli } from '../helpers/cli';
import { runMany } from './run-many';

/**
 * `recsysops issues` after a replay of seven recorded demo hours (a starved item launched at +1h, a
 * volume drop at +3h, a feature bug at +5h): the list, the JSON lines, and one issue as an on-call
 * engineer reads it.
 */

const dir = mkdtempSync(join(tmpdir(), 'rso-issues-'));
const events = join(dir, 'events.ndjson');
const state = join(dir, 'state');
const empty = join(dir, 'empty-state');
mkdirSync(empty);
const START = '2026-11-23T06:00:00.000Z';
const at = (h: number) => new Date(Date.parse(START) + h * 3_600_000).toISOString();

interface IssueLine {
  id: string;
  status: string;
  check: string;
  severity: string;
  opened_at: string;
  summary: string;
  labels: Record<string, string>;
  evidence: { value: number; detector: { kind: string }; baseline: string };
}

let listed: IssueLine[] = [];
let r: Record<'list' | 'json' | 'open' | 'unknown' | 'emptyList' | 'emptyJson' | 'notHex', CliResult>;
let volume: IssueLine;

beforeAll(async () => {
  const rec = await runCli(['demo', 'record', '--duration', '7h', '--start', START, '-o', events]);
  expect(rec.code).toBe(0);
  const rep = await runCli(['replay', '--state', state, events]);
  expect(rep.code).toBe(0);
  r = await runMany({
    list: ['issues', 'list', '--state', state],
    json: ['issues', 'list', '--state', state, '--json'],
    open: ['issues', 'list', '--state', state, '--status', 'open', '--json'],
    unknown: ['issues', 'show', 'deadbeef', '--state', state],
    notHex: ['issues', 'show', 'home', '--state', state],
    emptyList: ['issues', 'list', '--state', empty],
    emptyJson: ['issues', 'list', '--state', empty, '--json'],
  });
  listed = r.json.stdout.trim().split('\n').map((l) => JSON.parse(l) as IssueLine);
  volume = listed.find((i) => i.check === 'impressions-volume')!;
}, 90_000);

describe('issues list', () => {
  test('--json: one JSON object per issue per line, with id, status and check', () => {
    expect(r.json.code).toBe(0);
    for (const i of listed) {
      expect(i.id).toMatch(/^[0-9a-f]{8}$/);
      expect(['open', 'resolved']).toContain(i.status);
      expect(typeof i.check).toBe('string');
    }
    expect(new Set(listed.map((i) => i.id)).size).toBe(listed.length);
    // newest first
    expect(listed.map((i) => i.opened_at)).toEqual([...listed.map((i) => i.opened_at)].sort().reverse());
  });

  test("the demo's injected faults are there, in event time", () => {
    const byCheck = (c: string) => listed.filter((i) => i.check === c);
    const starved = byCheck('new-item-exposure');
    expect(starved).toHaveLength(1);
    expect(starved[0].opened_at >= at(3) && starved[0].opened_at <= at(3.5)).toBe(true); // launched at +1h, 2h grace
    expect(starved[0].summary).toContain('item-starved-0');
    expect(volume).toBeDefined();
    expect(volume.labels.surface).toBe('home');
    expect(volume.opened_at >= at(3) && volume.opened_at <= at(4)).toBe(true);
    const feature = byCheck('feature-null-rate');
    expect(feature.map((i) => i.labels.feature)).toContain('user_item_affinity');
    expect(feature.every((i) => i.opened_at >= at(5) && i.opened_at <= at(6))).toBe(true);
  });

  test('the table: a header, then one line per issue with its id, status, check and summary', () => {
    expect(r.list.code).toBe(0);
    const lines = r.list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +STATUS +MARK +SEVERITY +OPENED +CHECK +SUMMARY$/);
    expect(lines).toHaveLength(1 + listed.length);
    listed.forEach((i, n) => {
      const line = lines[1 + n];
      expect(line.startsWith(`${i.id}  `)).toBe(true);
      expect(line).toContain(` ${i.status} `);
      expect(line).toContain(` ${i.check} `);
      expect(line.endsWith(i.summary)).toBe(true);
    });
  });

  test('--status open keeps only the open ones', () => {
    expect(r.open.code).toBe(0);
    const open = r.open.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as IssueLine);
    expect(open.map((i) => i.id)).toEqual(listed.filter((i) => i.status === 'open').map((i) => i.id));
    expect(open.length).toBeGreaterThan(0);
  });

  test('an empty state directory says there are none', () => {
    expect(r.emptyList.code).toBe(0);
    expect(r.emptyList.stdout).toBe(`no issues in ${empty}\n`);
    expect(r.emptyJson.code).toBe(0);
    expect(r.emptyJson.stdout).toBe('');
  });
});

describe('issues show', () => {
  let full: CliResult;
  let prefix: CliResult;
  beforeAll(async () => {
    const x = await runMany({ full: ['issues', 'show', volume.id, '--state', state], prefix: ['issues', 'show', volume.id.slice(0, 4), '--state', state] });
    full = x.full;
    prefix = x.prefix;
  });

  test('by its 8-character id: the evidence and the exact diagnose command', () => {
    expect(full.code).toBe(0);
    const out = full.stdout;
    expect(out.split('\n')[0]).toMatch(new RegExp(`^issue ${volume.id} +${volume.status.toUpperCase()} +critical$`));
    expect(out).toContain(volume.summary);
    expect(out).toMatch(/^check +impressions-volume \(volume\)$/m);
    expect(out).toMatch(/^labels +.*surface=home/m);
    expect(out).toMatch(new RegExp(`^observed +${volume.evidence.value} +expected ≥ [\\d.]+ +anomaly score 0\\.\\d+$`, 'm'));
    expect(out).toMatch(/^detector +seasonal \{.*"direction":"down".*"until_ready":\{"window":12,"threshold":5.*\}$/m);
    expect(out).toMatch(/^baseline +median .*MAD of the last 12 values .*until the rhythm is learned/m);
    expect(out).toMatch(/^window +\d{4}-\d\d-\d\dT[\d:.]+Z – \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
    expect(out).toMatch(/^captured +failing: \d+ of \d+ serving events/m);
    expect(out).toContain(`next: recsysops diagnose ${volume.id} --state ${state}\n`);
  });

  test('by a 4-character prefix: the same issue', () => {
    expect(prefix.code).toBe(0);
    expect(prefix.stdout).toBe(full.stdout);
  });

  test('an unknown id exits 1 and names the state directory', () => {
    expect(r.unknown.code).toBe(1);
    expect(r.unknown.stdout).toBe('');
    expect(r.unknown.stderr).toBe(`recsysops: no issue "deadbeef" in ${state} (try: recsysops issues list --state ${state}) [RSO_ERR_ISSUE_NOT_FOUND]\n`);
  });

  test('something that is not an id at all is a usage error', () => {
    expect(r.notHex.code).toBe(2);
    expect(r.notHex.stderr).toContain('"home" is not an issue id');
  });
});
