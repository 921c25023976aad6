#!/usr/bin/env node
// bench/streaming.mjs — is the streaming path ever the bottleneck? (`npm run bench`)
//
//   npm run bench -- [--events 300000] [--kafka-events 200000] [--rounds 9] [--kafka-rounds 5] [--long 10000000] [--no-kafka]
//
// Prints, measured in one run on the same generated events (1M distinct users, 100k items; 70%
// impressions, 15% engagements, 15% serving events of 10 candidates):
//   1. in-process throughput of decode + windows + the shipped checks, as a ratio to a bare JSON.parse
//      loop over the same lines (target ≥ 0.5);
//   2. end-to-end events/s through a real local broker (scripts/kafka/start-broker.sh) with the kafka
//      source + the same pipeline, as a ratio to a bare kafkajs eachBatch consumer that only parses
//      (target ≥ 0.9);
//   3. resident memory after 1M and after --long events through the in-process path, in a fresh
//      process (target: ratio ≤ 1.1, under 300 MB). --long 0 skips it; --no-kafka skips 2.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { line, pipelineFactory } from './stream-events.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = (p) => join(root, 'dist', p);
if (!existsSync(dist('pipeline.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = arg('events', 300_000);
const NK = arg('kafka-events', 200_000);
const LONG = arg('long', 10_000_000);
// Figure 1's rounds spread widely on a shared machine (0.29–0.75 in one run of five): nine of them
// give a steadier median. Figure 2's rounds take seconds each and spread less.
const ROUNDS = arg('rounds', 9);
const KAFKA_ROUNDS = arg('kafka-rounds', 5);
// --memory-child: run only figure 3 (the parent starts it in a fresh process)
const memoryChild = args.includes('--memory-child');
const withKafka = !args.includes('--no-kafka') && !memoryChild;
// --checks DIR measures another set of checks (default: the shipped checks/)
const checksDir = args.includes('--checks') ? resolvePath(args[args.indexOf('--checks') + 1]) : join(root, 'checks');

const { KafkaSource, kafkaSourcePlugin } = require(dist('sources/kafka.js'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');

/**
 * partitionOf spreads events over the 4 partitions by the top bits of a hash of their index, so every
 * partition carries the same mix of types and advances through event time at the same pace. (With
 * `i % 4` one partition held no serving events, packed 2.4× more events into each fetch, ran minutes
 * ahead in event time, and pushed most events of the others behind the watermark, where they are only
 * counted late: the path then skipped most of its work.)
 */
const partitionOf = (i) => ((i * 2654435761) >>> 0) >>> 30;

const pipeline = pipelineFactory(root, checksDir);

const mb = (b) => (b / 1048576).toFixed(0);
const rate = (n, ms) => Math.round((n / ms) * 1000);
const results = {};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/**
 * alternate runs the baseline and the measured path `rounds` times each, alternating (and swapping
 * which goes first every round, so a slow spell of the shared machine hits both alike), and reports
 * the median rate of each and the median of the per-round ratios.
 */
async function alternate(rounds, n, bareRun, pathRun) {
  const bare = [];
  const path = [];
  const bareCpu = [];
  const pathCpu = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [pathRun, bareRun] : [bareRun, pathRun];
    for (const run of order) {
      global.gc?.();
      const { ms, cpuMs } = await run(r);
      (run === bareRun ? bare : path).push(rate(n, ms));
      (run === bareRun ? bareCpu : pathCpu).push((cpuMs * 1000) / n);
    }
  }
  const ratios = bare.map((b, i) => path[i] / b);
  return { bare: median(bare), path: median(path), ratio: median(ratios), ratios, bareCpuUs: median(bareCpu), pathCpuUs: median(pathCpu) };
}
/** cpuNow: CPU time of this process (every thread) in ms */
const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const fmtRatios = (rs) => rs.map((r) => r.toFixed(2)).join(' ');
const fmtCpu = (r) => `bare ${r.bareCpuUs.toFixed(1)} µs, path ${r.pathCpuUs.toFixed(1)} µs`;

// 1. in-process path vs bare JSON.parse, same lines
if (!memoryChild) {
  const lines = Array.from({ length: N }, (_, i) => line(i));
  const bareRun = async () => {
    const c = cpuNow();
    const t = performance.now();
    let sink = 0;
    for (const l of lines) sink += JSON.parse(l).ts & 1;
    if (sink < 0) throw new Error('unreachable');
    return { ms: performance.now() - t, cpuMs: cpuNow() - c };
  };
  // the path's input, built once like the bare loop's lines: batches of 1000 records as a source hands them over
  const batches = [];
  for (let i = 0; i < lines.length; i += 1000) batches.push(lines.slice(i, i + 1000).map((payload) => ({ payload, origin: 'bench' })));
  const pathRun = async (r) => {
    const { p, cleanup } = pipeline(`inproc${r}`);
    const c = cpuNow();
    const t = performance.now();
    for (const batch of batches) await p.engine.push(batch);
    await p.engine.flush();
    const ms = performance.now() - t;
    const cpuMs = cpuNow() - c;
    await p.notify.close?.();
    cleanup();
    return { ms, cpuMs };
  };
  // warm-up of both (JIT), not measured
  await bareRun();
  await pathRun('warm');
  results.inproc = await alternate(ROUNDS, N, bareRun, pathRun);
  console.log(`1. in-process: ${N} events; bare JSON.parse ${results.inproc.bare}/s, decode+windows+checks ${results.inproc.path}/s → ratio ${results.inproc.ratio.toFixed(2)} (target ≥ 0.5)`);
  console.log(`   medians of ${ROUNDS} alternating rounds after a warm-up of each; per-round ratios ${fmtRatios(results.inproc.ratios)}; CPU per event ${fmtCpu(results.inproc)}`);
}

// 2. through a real broker: bare kafkajs eachBatch parse-only vs the kafka source + pipeline
if (withKafka) {
  const port = await freePortPair();
  const dataDir = mkdtempSync(join(tmpdir(), 'recsysops-bench-kafka-'));
  const pid = Number(execFileSync('bash', [join(root, 'scripts/kafka/start-broker.sh'), String(port), dataDir], { env: { ...process.env, KAFKA_AUTO_CREATE_TOPICS: 'false' } }).toString().trim().split('\n').pop());
  const brokers = [`127.0.0.1:${port}`];
  const kafka = new Kafka({ brokers, clientId: 'bench', logLevel: logLevel.NOTHING });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: 4 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let i = 0; i < NK; i += 2000) {
      const messages = [];
      for (let j = i; j < Math.min(NK, i + 2000); j++) messages.push({ value: line(j), partition: partitionOf(j) });
      await producer.send({ topic: 'bench', messages });
    }
    await producer.disconnect();

    // (a) bare: a consumer group with kafkajs defaults whose eachBatch only parses. Each round is a
    // new group, so each reads the whole topic from the beginning.
    const bareRun = async (r) => {
      const c = kafka.consumer({ groupId: `bench-bare-${r}` });
      await c.connect();
      await c.subscribe({ topic: 'bench', fromBeginning: true });
      let got = 0;
      let t0 = 0;
      let c0 = 0;
      let cpuMs = 0;
      const ms = await new Promise((resolve) =>
        c.run({
          eachBatch: async ({ batch }) => {
            if (!t0) (t0 = performance.now()), (c0 = cpuNow());
            for (const m of batch.messages) JSON.parse(m.value.toString('utf8'));
            got += batch.messages.length;
            if (got >= NK) (cpuMs = cpuNow() - c0), resolve(performance.now() - t0);
          },
        }),
      );
      await c.disconnect();
      if (got !== NK) throw new Error(`bare consumer read ${got} of ${NK} events`);
      return { ms, cpuMs };
    };

    // (b) the kafka source feeding the pipeline, as the daemon runs it (its own defaults)
    const pathRun = async (r) => {
      const { p, cleanup, logger, registry } = pipeline(`kafka${r}`);
      const config = kafkaSourcePlugin.schema.parse({ brokers, client_id: 'bench', group_id: `bench-source-${r}`, topics: ['bench'], from_beginning: true });
      const src = new KafkaSource('bench', config, { logger, env: {}, baseDir: root, registry });
      let n = 0;
      let t1 = 0;
      let c1 = 0;
      let cpuMs = 0;
      const abort = new AbortController();
      let done;
      const finished = new Promise((r) => (done = r));
      const sink = {
        push: async (records) => {
          if (!t1) (t1 = performance.now()), (c1 = cpuNow());
          const res = await p.engine.push(records);
          n += records.length;
          if (n >= NK) (cpuMs = cpuNow() - c1), done(performance.now() - t1);
          return res;
        },
        resumeOffset: (k) => p.engine.resumeOffset(k),
      };
      const running = src.run(sink, abort.signal);
      const ms = await finished;
      abort.abort();
      await running;
      const consumed = (await registry.getSingleMetric('recsysops_events_consumed_total').get()).values.reduce((s, v) => s + v.value, 0);
      await p.notify.close?.();
      cleanup();
      if (n !== NK || consumed !== NK) throw new Error(`kafka source pushed ${n} and the engine accepted ${consumed} of ${NK} events`);
      return { ms, cpuMs };
    };
    // warm-up of both (JIT of kafkajs, the pipeline and the broker), not measured
    await bareRun('warm');
    await pathRun('warm');
    results.kafka = await alternate(KAFKA_ROUNDS, NK, bareRun, pathRun);
    console.log(`2. through the broker: ${NK} events, 4 partitions; bare kafkajs eachBatch+parse ${results.kafka.bare}/s, kafka source+pipeline ${results.kafka.path}/s → ratio ${results.kafka.ratio.toFixed(2)} (target ≥ 0.9)`);
    console.log(`   medians of ${KAFKA_ROUNDS} alternating rounds after a warm-up of each, a new consumer group each reading all ${NK}; per-round ratios ${fmtRatios(results.kafka.ratios)}; CPU per event (all threads of this process; the broker not included) ${fmtCpu(results.kafka)}`);
  } finally {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// 3. memory on a long stream: RSS after 1M and after LONG events through the in-process path, in a
// fresh process of its own (`--memory-child`), as a daemon would run: not in this one, whose RSS keeps
// what figures 1 and 2 left behind (ten consumer groups' kafkajs buffers, the memory of finished
// threads the allocator holds), which is the bench's, not the path's. The heap in use after a full GC
// is the path's own state alone.
if (LONG > 0 && !memoryChild) {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory-child', '--long', String(LONG), '--checks', checksDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.status !== 0) throw new Error(`bench: the memory run failed (exit ${child.status ?? child.signal})`);
}
if (memoryChild) {
  const { p, cleanup } = pipeline('rss');
  // settled: a full GC, a pause for V8 to hand the freed pages back, again: the RSS of the state the
  // path holds, not of garbage the next major GC would have collected anyway
  const settled = async () => {
    for (let k = 0; k < 2; k++) {
      global.gc?.();
      await new Promise((r) => setTimeout(r, 200));
    }
    return process.memoryUsage();
  };
  let rss1 = 0;
  const t = performance.now();
  for (let i = 0; i < LONG; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(LONG, i + 1000); j++) batch.push({ payload: line(j), origin: 'bench' });
    await p.engine.push(batch);
    if (i + 1000 === 1_000_000) {
      const m = await settled();
      rss1 = m.rss;
      console.log(`3. RSS after 1M events: ${mb(rss1)} MB, heap in use after GC ${mb(m.heapUsed)} MB (${((performance.now() - t) / 1000).toFixed(0)} s; a fresh process running only the path)`);
    }
    if ((i + 1000) % 2_000_000 === 0 && i + 1000 > 1_000_000 && i + 1000 < LONG) {
      const m = await settled();
      process.stderr.write(`   … ${(i + 1000) / 1e6}M events, RSS ${mb(m.rss)} MB, heap in use ${mb(m.heapUsed)} MB\n`);
    }
  }
  const m2 = await settled();
  const rss2 = m2.rss;
  const heap2 = m2.heapUsed;
  cleanup();
  console.log(`3. RSS after ${LONG / 1e6}M events: ${mb(rss2)} MB → ratio ${(rss2 / rss1).toFixed(2)} (target ≤ 1.1, < 300 MB), heap in use after GC ${mb(heap2)} MB; ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
process.exit(0);

async function freePortPair() {
  for (;;) {
    const p = await new Promise((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = s.address().port;
        s.close(() => resolve(port));
      });
    });
    const ok = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(p + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok && p < 65000) return p;
  }
}
