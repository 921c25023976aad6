import { DemoSource, demoSourcePlugin, faultScheduleOf } from '../../src/demo/source';
import { defaultFaultSchedule } from '../../src/demo/faults';
import type { RecEvent } from '../../src/events/contract';
import type { RawRecord } from '../../src/sources/source';
import { createLogger, silentLogger } from '../../src/telemetry/logger';
import { H, START } from './world-fixture';

/** a DemoSource on a fake real clock that advances by each sleep, so a simulated day takes no real time */
function fakeTimeSource(lines: string[] = []) {
  let real = 1_000_000;
  const logger = createLogger({ write: (l) => lines.push(l) });
  const source = new DemoSource({
    seed: 5,
    startTime: START,
    realClock: () => real,
    logger,
    tickMs: 100,
    sleep: async (ms) => {
      real += ms;
    },
  });
  return { source, advance: (ms: number) => (real += ms) };
}

describe('DemoSource', () => {
  test('pushes the world in ts order as demo records, logs fault starts, stops on abort', async () => {
    const lines: string[] = [];
    const { source } = fakeTimeSource(lines);
    expect(source.kind).toBe('demo');
    expect(source.clock()).toBe(START);
    const ac = new AbortController();
    const records: RawRecord[] = [];
    let pushes = 0;
    await source.run(
      {
        async push(batch) {
          pushes++;
          records.push(...batch);
          if (source.clock() >= START + 5.05 * 3_600_000) ac.abort();
        },
      },
      ac.signal,
    );
    expect(pushes).toBeGreaterThan(100); // one push per 100 ms tick = 72 simulated seconds
    expect(records.every((r) => r.origin === 'demo')).toBe(true);
    const events = records.map((r) => r.payload as RecEvent);
    expect(events.findIndex((e, i) => i > 0 && e.ts < events[i - 1].ts)).toBe(-1);
    expect(events[0].type).toBe('item'); // the catalogue comes first
    const last = events[events.length - 1].ts;
    expect(JSON.stringify(source.world.step(START, last + 1).filter((e) => e.ts <= last))).toBe(JSON.stringify(events.filter((e) => e.ts <= last)));

    const faultLines = lines.filter((l) => l.includes('demo: fault'));
    expect(faultLines.map((l) => l.match(/demo: fault (\w+) kind=([\w-]+)/)?.slice(1).join(' '))).toEqual([
      'started starved-item',
      'started volume-drop',
      'ended volume-drop',
      'started feature-bug',
    ]);
    expect(faultLines[0]).toContain('item_id=item-starved-0');
    expect(lines[0]).toContain('demo: world started');
  });

  test('its clock is simulated time at `speed` (720: a day per two real minutes)', () => {
    const { source, advance } = fakeTimeSource();
    advance(60_000);
    expect(source.clock()).toBe(START + 12 * H);
    advance(60_000);
    expect(source.clock()).toBe(START + 24 * H);
  });

  test('a slow sink makes the world lag rather than push a huge step', async () => {
    const { source, advance } = fakeTimeSource();
    advance(10_000); // 2 simulated hours already due
    const ac = new AbortController();
    const spans: number[] = [];
    await source.run(
      {
        async push(batch) {
          const ts = batch.map((r) => (r.payload as RecEvent).ts);
          spans.push(Math.max(...ts) - Math.min(...ts));
          if (spans.length >= 3) ac.abort();
        },
      },
      ac.signal,
    );
    expect(Math.max(...spans.slice(1))).toBeLessThanOrEqual(15 * 60_000);
  });

  test('an aborted signal ends run() promptly', async () => {
    const { source } = fakeTimeSource();
    const ac = new AbortController();
    ac.abort();
    await expect(source.run({ push: async () => undefined }, ac.signal)).resolves.toBeUndefined();
  });
});

describe('demoSourcePlugin', () => {
  test('an empty entry gives the built-in demo with the default schedule', () => {
    const c = demoSourcePlugin.schema.parse({});
    expect(c).toMatchObject({ seed: 42, speed: 720, users: 2000, items: 300, requests_per_minute: 40, faults: 'default' });
    expect(faultScheduleOf(c)).toEqual(defaultFaultSchedule());
    const s = demoSourcePlugin.create('demo', c, { logger: silentLogger, env: {}, baseDir: '.' });
    expect(s.kind).toBe('demo');
    expect(typeof s.clock).toBe('function');
  });

  test('a custom schedule takes YAML durations; a bad kind is refused', () => {
    const c = demoSourcePlugin.schema.parse({ faults: [{ kind: 'bad-model', at: '30m', duration: '1h' }], repeat_every: '12h' });
    expect(faultScheduleOf(c)).toEqual({ repeatEveryMs: 12 * H, faults: [{ kind: 'bad-model', atMs: 1_800_000, durationMs: H }] });
    expect(demoSourcePlugin.schema.safeParse({ faults: [{ kind: 'meteor', at: '1h', duration: '1h' }] }).success).toBe(false);
    expect(demoSourcePlugin.schema.safeParse({ faults: 'none' }).success).toBe(true);
  });

  test('a fault may set a size in (0, 1] and the world a weekly rhythm', () => {
    const c = demoSourcePlugin.schema.parse({ faults: [{ kind: 'stall', at: '2h', duration: '20m', size: 0.5 }], weekly_rhythm: true });
    expect(faultScheduleOf(c).faults).toEqual([{ kind: 'stall', atMs: 2 * H, durationMs: 1_200_000, size: 0.5 }]);
    const s = demoSourcePlugin.create('demo', c, { logger: silentLogger, env: {}, baseDir: '.' }) as DemoSource;
    expect(s.world.options.weeklyRhythm).toBe(true);
    expect(demoSourcePlugin.schema.parse({}).weekly_rhythm).toBe(false);
    expect(demoSourcePlugin.schema.safeParse({ faults: [{ kind: 'stall', at: '1h', duration: '1h', size: 0 }] }).success).toBe(false);
    expect(demoSourcePlugin.schema.safeParse({ faults: [{ kind: 'stall', at: '1h', duration: '1h', size: 2 }] }).success).toBe(false);
  });
});
