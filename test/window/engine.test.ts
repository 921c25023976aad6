import { Registry } from 'prom-client';
import { volumeKind } from '../../src/check-kinds/volume';
import type { Observation } from '../../src/check-kinds/kind';
import { WindowEngine } from '../../src/window/engine';
import { createWindowMetrics } from '../../src/window/metrics';
import { silentLogger } from '../../src/telemetry/logger';

const T0 = Date.parse('2026-11-23T00:00:00Z');
const MIN = 60_000;

function setup() {
  const registry = new Registry();
  const metrics = createWindowMetrics(registry);
  const def = volumeKind.schema.parse({ name: 'imp', kind: 'volume', event_type: 'impression', window: '5m' });
  const closed: Array<{ start: number; end: number; obs: Observation[] }> = [];
  const engine = new WindowEngine({
    streaming: [{ name: 'imp', runtime: volumeKind.create(def, { clock: () => 0, logger: silentLogger }) as never }],
    watchers: [],
    allowedLatenessMs: MIN,
    futureToleranceMs: 60 * MIN,
    maxEventBytes: 10_000,
    metrics,
    logger: silentLogger,
    onWindowClosed: async (_c, start, end, obs) => {
      closed.push({ start, end, obs });
    },
  });
  const value = async (name: string) => Object.fromEntries(((await registry.getSingleMetric(name)!.get()).values).map((v) => [String(Object.values(v.labels)[0]), v.value]));
  return { engine, closed, value };
}

const imp = (ts: number, extra: object = {}) => ({
  payload: JSON.stringify({ type: 'impression', ts, request_id: 'r', user_id: 'u', item_id: 'i', position: 0, score: 1, model_version: 'v1', ...extra }),
  origin: 'test',
});

describe('WindowEngine', () => {
  test('closes windows once the watermark (newest − lateness) passes their end, in order', async () => {
    const { engine, closed } = setup();
    await engine.push([imp(T0 + 1 * MIN), imp(T0 + 2 * MIN), imp(T0 + 4 * MIN)]);
    expect(closed).toHaveLength(0);
    await engine.push([imp(T0 + 5 * MIN + 30_000)]); // watermark 4:30: window 0–5 still open (late events allowed)
    expect(closed).toHaveLength(0);
    await engine.push([imp(T0 + 6 * MIN)]); // watermark 5:00 closes 0–5
    expect(closed.map((c) => [c.start - T0, c.obs[0].value])).toEqual([[0, 3]]);
  });

  test('a window with no events still closes, with zero: a stream that stopped is the incident', async () => {
    const { engine, closed } = setup();
    await engine.push([imp(T0 + MIN), imp(T0 + 21 * MIN)]);
    expect(closed.map((c) => [(c.start - T0) / MIN, c.obs[0].value])).toEqual([
      [0, 1],
      [5, 0],
      [10, 0],
      [15, 0],
    ]);
  });

  test('events behind the watermark are counted late and not aggregated', async () => {
    const { engine, closed, value } = setup();
    await engine.push([imp(T0 + MIN), imp(T0 + 11 * MIN)]);
    await engine.push([imp(T0 + 2 * MIN), imp(T0 + 9 * MIN + 30_000)]); // both behind the watermark (10:00)
    expect(await value('recsysops_events_late_total')).toEqual({ impression: 2 });
    await engine.flush();
    expect(closed.map((c) => c.obs[0].value)).toEqual([1, 0, 1]);
  });

  test('malformed records are counted by reason, sampled in the log, and the rest goes on', async () => {
    const { engine, closed, value } = setup();
    await engine.push([
      { payload: '{"type": "impression", ', origin: 'f:1' },
      { payload: JSON.stringify({ type: 'impression', ts: T0 }), origin: 'f:2' },
      { payload: JSON.stringify({ type: 'bogus', ts: T0 }), origin: 'f:3' },
      imp(T0 + MIN),
      imp(T0 + 10 * MIN, { ts: 'not a time' }),
    ]);
    await engine.flush();
    expect(await value('recsysops_events_malformed_total')).toEqual({ invalid_json: 1, missing_field: 1, unknown_type: 1, invalid_timestamp: 1 });
    expect(await value('recsysops_events_consumed_total')).toEqual({ impression: 1 });
    expect(closed.map((c) => c.obs[0].value)).toEqual([1]);
  });

  test('an event far ahead of the newest one is rejected instead of closing every window', async () => {
    const { engine, closed, value } = setup();
    await engine.push([imp(T0 + MIN), imp(T0 + 365 * 24 * 60 * MIN)]);
    expect(closed).toHaveLength(0);
    expect(await value('recsysops_events_malformed_total')).toEqual({ future_timestamp: 1 });
  });

  test('flush closes what is open up to the newest event, and not beyond', async () => {
    const { engine, closed } = setup();
    await engine.push([imp(T0 + MIN), imp(T0 + 7 * MIN)]);
    await engine.flush();
    expect(closed.map((c) => (c.start - T0) / MIN)).toEqual([0, 5]);
  });
});
