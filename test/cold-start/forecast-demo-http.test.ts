import { launchForecastKind } from '../../src/check-kinds/cold-start-launch-forecast';
import type { CheckDeps, Observation, StreamingCheck } from '../../src/check-kinds/kind';
import { configuredModel } from '../../src/cold-start/model-access';
import { DemoWorld } from '../../src/demo/world';
import { demoScore } from '../../src/demo/model';
import { startModelServer, type ModelServer } from '../../src/demo/model-server';
import type { ModelAdapter } from '../../src/model/protocol';
import { builtinModelAdapters } from '../../src/model';
import { feed, H, M, make, quietDeps } from './events';

/**
 * The forecast against the real demo model server over HTTP (the generic protocol), on the demo
 * world: a starved item announced 4h ahead of its launch is predicted to miss every slate, while
 * the normal launches around it are not.
 */
const START = Date.parse('2026-11-23T16:00:00Z');
const W = 15 * M;
let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer({ score: demoScore });
});
afterAll(() => server.close());

test('a starved launch is warned about before it launches, by the demo model over HTTP; normal launches are not', async () => {
  const models = builtinModelAdapters();
  const http = models.get('http');
  const model = configuredModel({ model: { adapter: 'http', ...(http.schema.parse({ url: `${server.url}/score` }) as object) }, baseDir: '.' }, models);
  // Wait for each forecast's HTTP answer before the next window, so the test does not race the network.
  const inFlight = new Set<Promise<unknown>>();
  const tracked: ModelAdapter = {
    score(requests, version) {
      const p = model()!.score(requests, version);
      inFlight.add(p);
      p.finally(() => inFlight.delete(p)).catch(() => {});
      return p;
    },
  };
  const deps: CheckDeps = { ...quietDeps, model: () => tracked };
  const c: StreamingCheck = make(launchForecastKind, { window: '15m', min_launches: 3, sample_requests: 100, min_requests: 30 }, deps);
  // a launch every 30 minutes; the starved item launches at +6h and is announced at +2h
  const world = new DemoWorld({
    seed: 5, startTime: START, requestsPerMinute: 8, newItemEveryMs: 30 * M, realClock: () => 0,
    faults: { faults: [{ kind: 'starved-item', atMs: 6 * H, durationMs: 7 * 24 * H }] },
  });

  const warnings: Array<{ at: number; o: Observation }> = [];
  for (let ws = START; ws < START + 6 * H; ws += W) {
    feed(c, world.step(ws, ws + W));
    const [o] = c.close(ws, ws + W);
    if (o?.value) warnings.push({ at: ws + W, o });
    while (inFlight.size) await Promise.allSettled([...inFlight]);
    await new Promise((r) => setImmediate(r));
  }

  expect(server.stats.requests).toBeGreaterThan(100); // forecasts were scored by the server
  expect(warnings.length).toBeGreaterThan(0);
  const first = warnings[0];
  expect(first.at).toBeLessThan(START + 6 * H); // before the launch
  expect(first.o.evidence!.map((e) => e.name)).toEqual(['item=item-starved-0']);
  expect(first.o.evidence![0].value).toBe(1); // below the slate for every sampled request
  expect(first.o.summary).toMatch(/^1 announced item\(s\) predicted to get no exposure at launch: item-starved-0 \(below the top 10 for 100% of users, launches in \d+h/);
  // no normal launch was ever warned about
  expect(warnings.flatMap((w) => w.o.evidence!.map((e) => e.name)).every((n) => n === 'item=item-starved-0')).toBe(true);
}, 60_000);
