import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { volumeKind } from '../../src/check-kinds/volume';
import { WindowEngine } from '../../src/window/engine';
import { WindowProgress } from '../../src/window/progress';
import { createWindowMetrics } from '../../src/window/metrics';
import { silentLogger } from '../../src/telemetry/logger';

const T0 = Date.parse('2026-11-23T00:00:00Z');
const MIN = 60_000;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rso-offsets-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** an engine with one 5-minute volume check, persisting its progress in `dir` (as the daemon with Kafka does) */
function setup() {
  const registry = new Registry();
  const def = volumeKind.schema.parse({ name: 'imp', kind: 'volume', event_type: 'impression', window: '5m' });
  const closed: Array<{ start: number; value: number }> = [];
  const engine = new WindowEngine({
    streaming: [{ name: 'imp', runtime: volumeKind.create(def, { clock: () => 0, logger: silentLogger }) as never }],
    watchers: [],
    allowedLatenessMs: MIN,
    futureToleranceMs: 60 * MIN,
    maxEventBytes: 10_000,
    metrics: createWindowMetrics(registry),
    logger: silentLogger,
    progress: new WindowProgress(join(dir, 'window-progress.json')),
    onWindowClosed: async (_c, start, _end, obs) => void closed.push({ start: (start - T0) / MIN, value: obs[0]?.value ?? 0 }),
  });
  const count = async (name: string) => (await registry.getSingleMetric(name)!.get()).values.reduce((s, v) => s + v.value, 0);
  return { engine, closed, count };
}

const imp = (ts: number, offset: number, partition = 't/0') => ({
  payload: JSON.stringify({ type: 'impression', ts, request_id: 'r', user_id: 'u', item_id: 'i', position: 0, score: 1, model_version: 'v1' }),
  origin: `${partition}@${offset}`,
  position: { partition, offset },
});

test('the resume offset of a partition is its oldest event in a still-open window', async () => {
  const { engine } = setup();
  expect(engine.resumeOffset('t/0')).toBeUndefined();
  await engine.push([imp(T0 + MIN, 10), imp(T0 + 2 * MIN, 11), imp(T0 + 5 * MIN + 30_000, 12)]);
  expect(engine.resumeOffset('t/0')).toBe(10); // window 0–5 is open
  await engine.push([imp(T0 + 6 * MIN + 30_000, 13), { payload: 'not json', origin: 't/0@14', position: { partition: 't/0', offset: 14 } }]);
  expect(engine.resumeOffset('t/0')).toBe(12); // 0–5 closed; 12 opens 5–10
  await engine.push([imp(T0 + 11 * MIN, 15)]);
  expect(engine.resumeOffset('t/0')).toBe(15);
});

test('after a restart, re-read events of closed windows are skipped, those of open windows counted once', async () => {
  const a = setup();
  const events = [imp(T0 + MIN, 0), imp(T0 + 2 * MIN, 1), imp(T0 + 6 * MIN, 2), imp(T0 + 7 * MIN, 3)];
  await a.engine.push(events); // closes 0–5 (value 2); 5–10 open with offsets 2, 3
  expect(a.closed).toEqual([{ start: 0, value: 2 }]);
  const from = a.engine.resumeOffset('t/0')!;
  expect(from).toBe(2);

  // a new process; the committed offset was lost (a crash): it re-reads everything
  const b = setup();
  await b.engine.push(events);
  await b.engine.push([imp(T0 + 11 * MIN, 4)]);
  expect(b.closed).toEqual([{ start: 5, value: 2 }]); // 0–5 not closed again, 5–10 counted once
  expect(await b.count('recsysops_events_redelivered_total')).toBe(2);
  expect(await b.count('recsysops_events_consumed_total')).toBe(3);
});

test('interleaved partitions and offsets out of order in one batch: each partition resumes at its own oldest open offset', async () => {
  const { engine } = setup();
  await engine.push([imp(T0 + MIN, 9, 't/0'), imp(T0 + MIN, 4, 't/0'), imp(T0 + MIN, 7, 't/1'), imp(T0 + 2 * MIN, 6, 't/0'), imp(T0 + 2 * MIN, 3, 't/1')]);
  expect(engine.resumeOffset('t/0')).toBe(4);
  expect(engine.resumeOffset('t/1')).toBe(3);
  // an event at 7 min closes 0–5: t/0 resumes at its event in the open window 5–10, t/1 (nothing
  // open) one past the newest offset it pushed
  await engine.push([imp(T0 + 7 * MIN, 10, 't/0')]);
  expect(engine.resumeOffset('t/0')).toBe(10);
  expect(engine.resumeOffset('t/1')).toBe(8);
});
