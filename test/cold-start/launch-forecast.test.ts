import { launchForecastKind } from '../../src/check-kinds/cold-start-launch-forecast';
import type { CheckDeps, StreamingCheck } from '../../src/check-kinds/kind';
import type { ModelRequest } from '../../src/model/protocol';
import { createModuleModelAdapter } from '../../src/model/module';
import { feed, H, imp, item, M, make, quietDeps, serving, T0 } from './events';

/** a model whose score is the candidate's `q` feature, so every rank is known in advance */
const byQ = (requests: ModelRequest[]) => requests.map((r) => ({ request_id: r.request_id, scores: r.candidates.map((c) => Number(c.features.q)) }));
const W = 15 * M;

/** traffic: 20 requests with five candidates (q .9 .8 .7 .2 .1) and slates of three, in the first hour */
function traffic() {
  const out: Array<{ ts: number; type: string }> = [];
  for (let i = 0; i < 20; i++) {
    const ts = T0 + i * 3 * M;
    out.push(serving(`req-${i}`, ts, [['a', 0.9], ['b', 0.8], ['c', 0.7], ['d', 0.2], ['e', 0.1]]));
    for (let p = 0; p < 3; p++) out.push(imp(['a', 'b', 'c'][p], ts + 10, p));
  }
  return out;
}

const announce = (id: string, q: number | undefined, at: number, launch: number, cohort = 'drama') =>
  item(id, launch, { ts: at, cohort, attributes: q === undefined ? { genre: cohort } : { features: { q } } });

/** closeAndSettle closes one window, then lets the in-process model answer. */
async function closeAndSettle(c: StreamingCheck, ws: number) {
  const obs = c.close(ws, ws + W);
  await new Promise((r) => setImmediate(r));
  return obs;
}

const withModel = (): CheckDeps => ({ ...quietDeps, model: () => createModuleModelAdapter({ score: byQ }) });
const fields = { window: '15m', min_requests: 5, min_launches: 3 };

describe('launch-forecast: predicted exposure of announced items', () => {
  test('an item that would rank below the slate for every user is named before launch; after launch it leaves', async () => {
    const c = make(launchForecastKind, fields, withModel());
    feed(c, [...traffic(), ...['p1', 'p2', 'p3'].map((id) => announce(id, 0.95, T0 + 30 * M, T0 + 5 * H))]);
    await closeAndSettle(c, T0 + 45 * M); // forecasts p1..p3 start
    await closeAndSettle(c, T0 + 60 * M); // …and are judged: rank 1, never below the slate
    feed(c, [announce('doomed', 0.05, T0 + 70 * M, T0 + 4 * H)]);
    await closeAndSettle(c, T0 + 75 * M);
    const [o] = await closeAndSettle(c, T0 + 90 * M);
    expect(o.value).toBe(1);
    expect(o.summary).toBe('1 announced item(s) predicted to get no exposure at launch: doomed (below the top 3 for 100% of users, launches in 2h15m)');
    expect(o.evidence).toEqual([
      {
        name: 'item=doomed',
        value: 1,
        reference: 0,
        note: 'predicted below the top 3 for 100% of 20 sampled requests (median rank 6 of 6); cohort drama: 0% (p90 0%, 3 launches); launches 2026-11-23T04:00:00.000Z',
      },
    ]);
    expect((await closeAndSettle(c, T0 + 4 * H - 2 * W))[0].value).toBe(1);
    expect((await closeAndSettle(c, T0 + 4 * H - W))[0].value).toBe(0); // launched at the window's end
  });

  test('quiet while learning: with two past launches the same item is not warned about', async () => {
    const c = make(launchForecastKind, fields, withModel());
    feed(c, [...traffic(), ...['p1', 'p2'].map((id) => announce(id, 0.95, T0 + 30 * M, T0 + 5 * H)), announce('doomed', 0.05, T0 + 40 * M, T0 + 4 * H)]);
    await closeAndSettle(c, T0 + 45 * M);
    const [o] = await closeAndSettle(c, T0 + 60 * M);
    expect(o.value).toBe(0);
    expect(o.details).toMatchObject({ past_launches: 3 });
  });

  test('when past launches of the cohort also miss the slate, a miss is normal for it', async () => {
    const c = make(launchForecastKind, fields, withModel());
    feed(c, [...traffic(), ...['p1', 'p2', 'p3'].map((id) => announce(id, 0.15, T0 + 30 * M, T0 + 5 * H)), announce('doomed', 0.05, T0 + 70 * M, T0 + 4 * H)]);
    for (const ws of [45, 60, 75].map((m) => T0 + m * M)) await closeAndSettle(c, ws);
    expect((await closeAndSettle(c, T0 + 90 * M))[0].value).toBe(0);
  });

  test('an item without attributes.features is counted as unforecastable, not warned about', async () => {
    const c = make(launchForecastKind, fields, withModel());
    feed(c, [...traffic(), announce('bare', undefined, T0 + 30 * M, T0 + 5 * H)]);
    const [o] = await closeAndSettle(c, T0 + 45 * M);
    expect(o.value).toBe(0);
    expect(o.details).toMatchObject({ unforecastable: 1, past_launches: 0 });
  });

  test('without a configured model it stays silent and says why once', async () => {
    const warnings: string[] = [];
    const deps: CheckDeps = { ...quietDeps, logger: { ...quietDeps.logger, warn: (m: string) => warnings.push(m) } as CheckDeps['logger'] };
    const c = make(launchForecastKind, fields, deps);
    feed(c, [...traffic(), announce('x', 0.5, T0 + 30 * M, T0 + 5 * H)]);
    expect(await closeAndSettle(c, T0 + 45 * M)).toEqual([]);
    expect(await closeAndSettle(c, T0 + 60 * M)).toEqual([]);
    expect(warnings).toEqual(['launch-forecast needs a model: set model: in recsysops.yaml (as for diagnose); no forecast until then']);
  });
});
