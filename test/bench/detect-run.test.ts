import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusSchema, type Corpus } from '../../src/bench/detect/corpus';
import { runCorpus } from '../../src/bench/detect/run';
import { builtinPlugins } from '../../src/plugins';
import { createLogger } from '../../src/telemetry/logger';

const M = 60_000;
const H = 60 * M;
const START = Date.UTC(2026, 0, 5);
const STALL = { from: START + 12 * H, to: START + 12 * H + 30 * M };

/** 10:00–13:00 at 10 requests a minute at the peak, with a 30-minute stall at noon */
const corpus: Corpus = {
  config: corpusSchema.parse({ requests_per_minute: 10, users: 200, items: 50 }),
  startTime: START + 10 * H,
  endTime: START + 13 * H,
  clean: { from: START, to: START },
  faulted: { from: START + 10 * H, to: START + 13 * H },
  faults: [{ id: 0, kind: 'stall', size: 1, startsAt: STALL.from, endsAt: STALL.to }],
  schedule: { faults: [{ kind: 'stall', atMs: 2 * H, durationMs: 30 * M }] },
};

test('a stall is judged while it lasts: windows close by the simulated clock, scheduled checks run every minute', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  writeFileSync(
    join(dir, 'volume.yaml'),
    'name: volume\nkind: volume\nevent_type: impression\nwindow: 10m\ndetector: {kind: threshold, params: {min: 1}}\n',
  );
  writeFileSync(
    join(dir, 'fresh.yaml'),
    'name: fresh\nkind: freshness\nevent_type: impression\nschedule: "* * * * *"\ndetector: {kind: threshold, params: {max: 300}}\n',
  );
  const days: number[] = [];
  const r = await runCorpus({ corpus, checksDir: dir, plugins: builtinPlugins(), logger: createLogger({ level: 'error' }), scheduledEveryMs: M, onDay: (p) => days.push(p.day) });
  expect(r.events).toBeGreaterThan(10_000);
  // freshness: the newest impression is from the last seconds before noon, so it is over 300 s old at
  // the evaluation of 12:05 or (if it came at 11:59:59.x) of 12:06, and at no other time
  const fresh = r.alerts.filter((a) => a.check === 'fresh').map((a) => (a.at - START) / M);
  expect(fresh).toHaveLength(1);
  expect([12 * 60 + 5, 12 * 60 + 6]).toContain(fresh[0]);
  // volume: the windows 12:00–12:10, 12:10–12:20 are empty; the first fires at its end, closed by the clock
  const volume = r.alerts.filter((a) => a.check === 'volume').map((a) => (a.at - START) / M);
  expect(volume).toEqual([12 * 60 + 10]);
  expect(r.resolved.map((a) => a.check).sort()).toEqual(['fresh', 'volume']);
  expect(days).toEqual([]); // the corpus ends before its first full day
}, 120_000);
