/**
 * The Kafka source against a real single-node KRaft broker (scripts/kafka/start-broker.sh), with the
 * compiled daemon run as a user runs it. Counts are exact: each alert of the one-minute volume check
 * carries the number of impressions its window saw, so an event lost or counted twice shows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { startBroker, type TestBroker } from '../helpers/kafka-broker';
import { baseMinute, createTopic, impression, kafka, killAll, produce, startDaemon, until, workspace, type Workspace } from './harness';

jest.setTimeout(120_000);

let broker: TestBroker;
const spaces: Workspace[] = [];
const ws = (source: Record<string, unknown>) => {
  const w = workspace({ brokers: broker.brokers, ...source });
  spaces.push(w);
  return w;
};

beforeAll(async () => {
  broker = await startBroker({ autoCreateTopics: false });
});

afterAll(async () => {
  killAll();
  await broker?.close();
  for (const w of spaces) w.cleanup();
});

const firing = (w: Workspace) => w.alerts().filter((a) => a.status === 'firing');

test('events produced into Kafka are windowed and checked, and the check alerts with their exact count', async () => {
  await createTopic(broker.brokers, 'checked', 2);
  const w = ws({ group_id: 'g-checked', topics: ['checked'], from_beginning: true });
  const d = await startDaemon(w);
  try {
    const t = baseMinute();
    // the way a user replays recorded logs: `recsysops produce`
    const file = join(w.dir, 'events.ndjson');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => impression(t + i * 1000, i)).join('\n') + '\n');
    const produced = await runCli(['produce', '--brokers', broker.brokers[0], '--topic', 'checked', '--key', 'user_id', file]);
    expect(produced.stderr).toContain('produced 40 messages to checked');
    expect(produced.code).toBe(0);
    await until('40 events consumed', async () => (await d.metric('recsysops_events_consumed_total')) === 40);
    // a later event in each partition moves the watermark past the first window
    await produce(broker.brokers, 'checked', [impression(t + 150_000, 100), impression(t + 150_000, 101)], 2);
    const alert = await until('the first window to alert', () => firing(w)[0]);
    expect(alert.check).toBe('impressions-per-minute');
    expect(alert.value).toBe(40);
    expect(await d.metric('recsysops_kafka_messages_total', 'topic="checked"')).toBe(42);
    expect(await d.metric('recsysops_kafka_consumer_lag', 'topic="checked"')).toBe(0);
  } finally {
    await d.stop();
  }
});

test('a topic of one event type (no type field) feeds the checks of that type', async () => {
  await createTopic(broker.brokers, 'typed-impressions', 1);
  const w = ws({ group_id: 'g-typed', topics: [{ topic: 'typed-impressions', type: 'impression' }], from_beginning: true });
  const d = await startDaemon(w);
  try {
    const t = baseMinute();
    const untyped = (s: string) => JSON.stringify({ ...JSON.parse(s), type: undefined });
    await produce(broker.brokers, 'typed-impressions', [...Array.from({ length: 7 }, (_, i) => untyped(impression(t + i, i))), untyped(impression(t + 150_000, 9))]);
    await until('8 impressions consumed', async () => (await d.metric('recsysops_events_consumed_total', 'type="impression"')) === 8);
    expect((await until('an alert', () => firing(w)[0])).value).toBe(7);
  } finally {
    await d.stop();
  }
});

test('malformed messages are counted by reason and dead-lettered with their bytes and reason; the partition keeps flowing', async () => {
  await createTopic(broker.brokers, 'dirty', 1);
  await createTopic(broker.brokers, 'dirty-dlq', 1);
  const w = ws({ group_id: 'g-dirty', topics: ['dirty'], from_beginning: true, dead_letter_topic: 'dirty-dlq' });
  const d = await startDaemon(w);
  try {
    const t = baseMinute();
    const bad = ['this is not json', '[1,2]', JSON.stringify({ type: 'impression', ts: t }), JSON.stringify({ type: 'purchase', ts: t }), 'x'.repeat(1_100_000)];
    await produce(broker.brokers, 'dirty', [impression(t, 1), ...bad, impression(t + 1, 2)]);
    await until('2 good events consumed', async () => (await d.metric('recsysops_events_consumed_total')) === 2);
    await until('5 rejections counted', async () => (await d.metric('recsysops_events_malformed_total')) === 5);
    for (const reason of ['invalid_json', 'not_object', 'missing_field', 'unknown_type', 'oversized'])
      expect(await d.metric('recsysops_events_malformed_total', `reason="${reason}"`)).toBe(1);

    const consumer = kafka(broker.brokers).consumer({ groupId: 'dlq-reader' });
    const got: Array<{ value: string; reason: string; origin: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'dirty-dlq', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push({ value: message.value!.toString(), reason: String(message.headers!['x-recsysops-reason']), origin: String(message.headers!['x-recsysops-origin']) }) });
    await until('5 dead letters', () => got.length >= 5);
    await consumer.disconnect();
    expect(got.map((g) => g.reason)).toEqual(['invalid_json', 'not_object', 'missing_field', 'unknown_type', 'oversized']);
    expect(got.map((g) => g.value)).toEqual(bad);
    expect(got[0].origin).toBe('dirty/0@1');
  } finally {
    await d.stop();
  }
});

test('a topic that does not exist yet: the daemon keeps /metrics up, retries, and consumes once it is created', async () => {
  const w = ws({ group_id: 'g-later', topics: ['later'], from_beginning: true });
  const d = await startDaemon(w);
  try {
    await until('a failed attempt to be counted', async () => (await d.metric('recsysops_kafka_consumer_errors_total')) > 0);
    expect((await fetch(d.metricsUrl)).status).toBe(200);
    await createTopic(broker.brokers, 'later', 1);
    const t = baseMinute();
    await produce(broker.brokers, 'later', [impression(t, 1), impression(t + 1, 2), impression(t + 2, 3)]);
    await until('the events consumed after the topic appeared', async () => (await d.metric('recsysops_events_consumed_total')) === 3, 90_000);
  } finally {
    await d.stop();
  }
});

test('a broker restart, a clean daemon restart and a daemon crash lose no event and count none twice', async () => {
  await createTopic(broker.brokers, 'durable', 2);
  const w = ws({ group_id: 'g-durable', topics: ['durable'], from_beginning: true });
  const t = baseMinute();
  const batch = (from: number, n: number, at: number) => Array.from({ length: n }, (_, i) => impression(at + ((from + i) % 50) * 1000, from + i));

  let d = await startDaemon(w);
  const step = (s: string) => process.env.KAFKA_TEST_DEBUG && console.log(new Date().toISOString(), s, d.stderr().split('\n').slice(-6).join('\n'));
  await produce(broker.brokers, 'durable', batch(0, 30, t), 2);
  await until('30 consumed', async () => (await d.metric('recsysops_events_consumed_total')) === 30);

  step('broker stop');
  // the broker goes away mid-stream and comes back; /metrics stays up meanwhile
  await broker.stop();
  expect((await fetch(d.metricsUrl)).status).toBe(200);
  step('broker restart');
  await broker.restart();
  await produce(broker.brokers, 'durable', batch(30, 30, t), 2);
  await until('60 consumed after the broker restart', async () => (await d.metric('recsysops_events_consumed_total')) === 60, 90_000);

  step('clean stop');
  // a clean restart while the window is open: the new process re-reads the open window's events once
  await d.stop();
  step('stopped');
  await produce(broker.brokers, 'durable', batch(60, 30, t), 2);
  d = await startDaemon(w);
  await until('90 consumed by the restarted daemon', async () => (await d.metric('recsysops_events_consumed_total')) === 90);
  // an event in the fourth minute closes the first (its alert carries every event exactly once) and
  // the second (empty: the alert resolves)
  step('close');
  await produce(broker.brokers, 'durable', [impression(t + 185_000, 1000), impression(t + 185_000, 1001)], 2);
  await until('the first window to alert and the second to resolve', () => w.alerts().length >= 2);
  expect(firing(w)[0].value).toBe(90);

  // 24 more in the fourth minute, then a crash (SIGKILL) with that window open
  await produce(broker.brokers, 'durable', batch(2000, 24, t + 180_000), 2);
  await until('26 events of the fourth minute consumed', async () => (await d.metric('recsysops_events_consumed_total')) === 90 + 26);
  step('crash');
  await d.crash();
  d = await startDaemon(w);
  // the restarted daemon re-reads the open window's events, and skips those of closed windows
  await until('the fourth minute re-read', async () => (await d.metric('recsysops_events_consumed_total')) === 26);
  await produce(broker.brokers, 'durable', [impression(t + 330_000, 3000), impression(t + 330_000, 3001)], 2);
  await until('the fourth window to alert', () => firing(w)[1]);
  expect(firing(w).map((a) => a.value)).toEqual([90, 26]);
  expect(await d.metric('recsysops_events_consumed_total')).toBe(28);
  await d.stop();
}, 240_000); // a broker restart and three daemon starts: on a busy shared machine this takes over 2 minutes

test('two daemons in one group split the partitions and together count what one daemon counts', async () => {
  await createTopic(broker.brokers, 'shared', 4);
  const a = ws({ group_id: 'g-pair', topics: ['shared'], from_beginning: true });
  const b = ws({ group_id: 'g-pair', topics: ['shared'], from_beginning: true });
  const solo = ws({ group_id: 'g-solo', topics: ['shared'], from_beginning: true });
  const da = await startDaemon(a);
  const db = await startDaemon(b);
  const ds = await startDaemon(solo);
  try {
    await until('both daemons to hold two partitions', async () => (await da.metric('recsysops_kafka_assigned_partitions')) === 2 && (await db.metric('recsysops_kafka_assigned_partitions')) === 2);
    const t = baseMinute();
    await produce(broker.brokers, 'shared', Array.from({ length: 100 }, (_, i) => impression(t + (i % 60) * 1000, i)), 4);
    await until('100 events consumed by the pair', async () => (await da.metric('recsysops_events_consumed_total')) + (await db.metric('recsysops_events_consumed_total')) === 100);
    await until('100 events consumed by the solo daemon', async () => (await ds.metric('recsysops_events_consumed_total')) === 100);
    expect(await da.metric('recsysops_events_consumed_total')).toBe(50);
    expect(await db.metric('recsysops_events_consumed_total')).toBe(50);
    await produce(broker.brokers, 'shared', Array.from({ length: 4 }, (_, i) => impression(t + 150_000, 200 + i)), 4);
    const [va, vb, vs] = await Promise.all([a, b, solo].map((w) => until('a window alert', () => firing(w)[0]?.value)));
    expect(va + vb).toBe(100);
    expect(vs).toBe(100);
  } finally {
    await Promise.all([da.stop(), db.stop(), ds.stop()]);
  }
});

test('`recsysops demo produce` sends the demo world into a topic as live traffic', async () => {
  await createTopic(broker.brokers, 'demo-live', 1);
  // --speed 20: a simulated minute in 3 s, so even the demo's night trough (~30% of its peak rate)
  // serves requests whatever the hour the test runs at; timestamps stay within a minute of now
  const r = await runCli(['demo', 'produce', '--brokers', broker.brokers[0], '--topic', 'demo-live', '--duration', '3', '--speed', '20']);
  expect(r.code).toBe(0);
  const sent = Number(r.stderr.match(/produced (\d+) demo events/)?.[1]);
  expect(sent).toBeGreaterThan(0);
  const consumer = kafka(broker.brokers).consumer({ groupId: 'demo-reader' });
  const types = new Map<string, number>();
  let n = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: 'demo-live', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const e = JSON.parse(message.value!.toString());
      types.set(e.type, (types.get(e.type) ?? 0) + 1);
      n++;
      expect(Math.abs(e.ts - Date.now())).toBeLessThan(600_000); // real time: a daemon's clock accepts it
    },
  });
  await until('every demo event read back', () => n >= sent);
  await consumer.disconnect();
  expect(n).toBe(sent);
  expect([...types.keys()].sort()).toEqual(expect.arrayContaining(['impression', 'serving']));
});
