#!/usr/bin/env node
// bench/ab.mjs — is build B's streaming path faster than build A's? (`npm run bench:ab -- --builds A,B`)
//
//   node bench/ab.mjs --builds DIR_A,DIR_B[,DIR_C…] [--rounds 15] [--events 300000] [--checks DIR] [--parsed]
//
// Each DIR is a checkout with dist/ built (e.g. `git worktree add /tmp/a HEAD~1 && cd /tmp/a && npm ci
// && npm run build`; node_modules may be a symlink to this one's). Figure 1 of `npm run bench` cannot
// resolve a change of a few percent on a shared machine: its rounds spread ±15% and the bare loop
// is bimodal. Here the builds are loaded side by side in ONE process (each its own module graph) and
// their pipelines run in turn over the same events, the order rotating every round, so a slow spell
// hits all of them alike; the figure is each build's median time relative to the first's, place by
// place in the round (see relative). Rounds spread widely on a shared machine: use 20–30 (an A/A of
// 30 rounds printed 1.009).
import { join, resolve } from 'node:path';
import { line, pipelineFactory } from './stream-events.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const builds = (arg('builds', '') || '').split(',').filter(Boolean).map((d) => resolve(d));
if (builds.length < 2) {
  console.error('usage: node bench/ab.mjs --builds DIR_A,DIR_B[,…] [--rounds 15] [--events 300000] [--checks DIR] [--parsed]');
  process.exit(2);
}
const rounds = Number(arg('rounds', 15));
const n = Number(arg('events', 300_000));
const checks = arg('checks');

// --parsed: the records carry the events already parsed (decoding then only checks them), which
// takes JSON.parse, the largest and noisiest part, out of what is compared: for changes to the checks
const parsed = args.includes('--parsed');
const lines = Array.from({ length: n }, (_, i) => line(i));
const batches = [];
for (let i = 0; i < n; i += 1000) batches.push(lines.slice(i, i + 1000).map((l) => ({ payload: parsed ? JSON.parse(l) : l, origin: 'bench' })));

const runs = builds.map((root) => {
  const make = pipelineFactory(root, checks ? resolve(checks) : join(root, 'checks'));
  return async (tag) => {
    const { p, cleanup } = make(tag);
    // a full collection first (with --expose-gc, as `npm run bench:ab` runs it): the last run's garbage
    // and the new pipeline's tables (external memory, which triggers collections) are not timed here
    global.gc?.();
    const t = performance.now();
    for (const batch of batches) await p.engine.push(batch);
    await p.engine.flush();
    const ms = performance.now() - t;
    await p.notify.close?.();
    cleanup();
    return ms;
  };
});
const bare = () => {
  global.gc?.();
  const t = performance.now();
  let sink = 0;
  for (const l of lines) sink += JSON.parse(l).ts & 1;
  if (sink < 0) throw new Error('unreachable');
  return performance.now() - t;
};

// warm-up of every build and of the bare loop (JIT), not measured
for (const run of runs) await run('warm');
bare();
const times = builds.map(() => []);
/** per build, its times by position in the round (a run right after another is often slower) */
const byPosition = builds.map(() => builds.map(() => []));
const bareTimes = [];
for (let r = 0; r < rounds; r++) {
  // (with --parsed the bare loop is left out: its 130 MB of garbage per round only add noise there)
  bareTimes.push(parsed ? NaN : bare());
  for (let j = 0; j < runs.length; j++) {
    const k = (j + r) % runs.length;
    const ms = await runs[k](`ab${r}`);
    times[k].push(ms);
    byPosition[k][j].push(ms);
  }
  process.stderr.write(`\rround ${r + 1}/${rounds}`);
}
process.stderr.write('\n');
if (args.includes('--verbose')) for (let k = 0; k < builds.length; k++) console.log(`${builds[k]}: ${times[k].map((t) => t.toFixed(0)).join(' ')}`);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  return s[Math.floor(at)] + (s[Math.ceil(at)] - s[Math.floor(at)]) * (at - Math.floor(at));
};
/**
 * relative: build k's time relative to the first build's, compared position by position (the median
 * of its runs in each place of the round against the first build's in the same place), the geometric
 * mean over the places. The median of per-round ratios swung with the order: in one run on this
 * machine the second run of a round took 10–15% longer than the first, whichever build it was.
 */
const relative = (k) => Math.exp(byPosition[k].reduce((sum, ts, j) => sum + Math.log(quantile(ts, 0.5) / quantile(byPosition[0][j], 0.5)), 0) / builds.length);
console.log(`${n} events, ${rounds} rounds; ${parsed ? 'events parsed beforehand' : `bare JSON.parse median ${quantile(bareTimes, 0.5).toFixed(0)} ms`}`);
for (let k = 0; k < builds.length; k++) {
  const places = byPosition[k].map((ts) => quantile(ts, 0.5).toFixed(0)).join('/');
  const ratio = times[k].map((ms, i) => bareTimes[i] / ms);
  console.log(`${builds[k]}: median ${quantile(times[k], 0.5).toFixed(0)} ms (by place in the round ${places}); ×first ${relative(k).toFixed(3)}${parsed ? '' : `; bare/path ${quantile(ratio, 0.5).toFixed(2)}`}`);
}
