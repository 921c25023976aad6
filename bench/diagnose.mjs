#!/usr/bin/env node
// bench/diagnose.mjs — how long `recsysops diagnose` takes on a large issue against a local HTTP model.
//
//   npm run build && node bench/diagnose.mjs [--requests 1000] [--candidates 50] [--features 20]
//
// An issue with 1,000 captured failing requests (and 1,000 reference requests) of 50 candidates and
// 20 features each is diagnosed through the generic HTTP adapter (batch 64, 4 in flight) against the
// demo model served by a separate Node process on 127.0.0.1. Two scenarios: a feature bug (reproduce,
// 2×2 swap, input evidence, attribution with Shapley) and a bad model version (both versions on both
// samples). The baseline, measured in the same run, is the bare HTTP scoring of the 1,000 failing
// requests once. Target: under 10 s per diagnosis.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
if (!existsSync(dist('diagnosis/diagnose.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
if (process.argv[2] === '--serve') {
  const { startModelServer } = await import(dist('demo/model-server.js'));
  const { demoScore } = await import(dist('demo/model.js'));
  const server = await startModelServer({ score: demoScore.default ?? demoScore });
  process.send({ url: server.url });
  process.on('disconnect', () => server.close().then(() => process.exit(0)));
} else {
  await main();
}

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

async function main() {
  const N = arg('requests', 1000);
  const C = arg('candidates', 50);
  const F = arg('features', 20);
  const { diagnoseIssue } = await import(dist('diagnosis/diagnose.js'));
  const { createHttpModelAdapter } = await import(dist('model/http.js'));
  const { demoScore } = await import(dist('demo/model.js'));

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await new Promise((res) => child.once('message', res));
  const model = createHttpModelAdapter({ url: `${url}/models/{version}/score`, batchSize: 64, concurrency: 4 });

  let seed = 42;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const T0 = Date.parse('2026-11-23T00:00:00Z');
  const extra = Math.max(0, F - 4);
  const request = (i, broken) => ({
    request_id: `r${broken ? 'f' : 'r'}${i}`,
    user_id: `u${Math.floor(rnd() * 2000)}`,
    context: { device: rnd() < 0.5 ? 'tv' : 'mobile', hour_of_day: 20 },
    candidates: Array.from({ length: C }, (_, k) => {
      const features = {
        user_item_affinity: broken ? null : rnd(),
        user_emb_dot: rnd() * 2 - 1,
        item_popularity: Math.floor(rnd() * 20000),
        item_age_hours: rnd() * 500,
      };
      for (let j = 0; j < extra; j++) features[`item_emb_${j}`] = rnd() * 2 - 1;
      return { item_id: `i${k}`, features };
    }),
  });
  const sample = (n, broken, version, start) => {
    const reqs = Array.from({ length: n }, (_, i) => request(i, broken));
    const scores = demoScore(reqs, version);
    const events = reqs.map((r, i) => ({ type: 'serving', ts: start + i, model_version: version, scores: scores[i].scores, latency_ms: 20, ...r }));
    return { start, end: start + 300_000, seen: n * 10, model_versions: { [version]: n * 10 }, events };
  };
  const issue = { id: 'bench0001', check: 'engagement-rate' };

  const failingReqs = sample(N, true, 'v1', T0).events.map(({ request_id, user_id, context, candidates }) => ({ request_id, user_id, context, candidates }));
  const t0 = performance.now();
  await model.score(failingReqs, 'v1');
  const baseline = (performance.now() - t0) / 1000;

  const scenarios = [
    ['feature bug (data)', { failing: sample(N, true, 'v1', T0 + 3_600_000), reference: sample(N, false, 'v1', T0) }],
    ['bad model version (model)', { failing: sample(N, false, 'v2', T0 + 3_600_000), reference: sample(N, false, 'v1', T0) }],
  ];
  console.log(`diagnose benchmark: ${N} failing + ${N} reference requests × ${C} candidates × ${F} features, HTTP adapter (batch 64, concurrency 4), model server in another process`);
  console.log(`baseline      bare HTTP scoring of the ${N} failing requests once: ${baseline.toFixed(2)} s`);
  let worst = 0;
  for (const [name, capture] of scenarios) {
    const t = performance.now();
    const report = await diagnoseIssue({ issue, capture, model, now: () => Date.now() });
    const s = (performance.now() - t) / 1000;
    worst = Math.max(worst, s);
    console.log(
      `${name.padEnd(28)} verdict ${report.verdict.padEnd(6)} ${String(report.replayed_requests).padStart(6)} requests replayed in ${s.toFixed(2)} s` +
        `  = ${(s / 10).toFixed(2)} × the 10 s target, ${(s / baseline).toFixed(1)} × the baseline`,
    );
  }
  console.log(`worst         ${worst.toFixed(2)} s (${worst < 10 ? 'under' : 'OVER'} the 10 s target)`);
  child.disconnect();
}
