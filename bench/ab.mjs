#!/usr/bin/env node
// bench/ab.mjs — is build B's streaming path faster than build A's? (`npm run bench:ab -- --builds A,B`)
//
//   node bench/ab.mjs --builds DIR_A,DIR_B[,DIR_C…] [--rounds 15] [--events 300000] [--checks DIR]
//
// Each DIR is a checkout with dist/ built (e.g. `git worktree add /tmp/a HEAD~1 && cd /tmp/a && npm ci
// && npm run build`; node_modules may be a symlink to this one's). Figure 1 of `npm run bench` cannot
// resolve a change of a few percent on a shared machine: its rounds spread ±15% and the bare loop
// is bimodal. Here the builds are loaded side by side in ONE process (each its own module graph) and
// their pipelines run in turn over the same events, the order rotating every round, so a slow spell
// hits all of them alike; the figure is the median over the rounds of each build's time relative to
// the first's. An A/A run spreads 0.83–1.11 per round: trust medians of 15 rounds or more.
import { join, resolve } from 'node:path';
import { line, pipelineFactory } from './stream-events.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const builds = (arg('builds', '') || '').split(',').filter(Boolean).map((d) => resolve(d));
if (builds.length < 2) {
  console.error('usage: node bench/ab.mjs --builds DIR_A,DIR_B[,…] [--rounds 15] [--events 300000] [--checks DIR]');
  process.exit(2);
}
const rounds = Number(arg('rounds', 15));
const n = Number(arg('events', 300_000));
const checks = arg('checks');

const lines = Array.from({ length: n }, (_, i) => line(i));
const batches = [];
for (let i = 0; i < n; i += 1000) batches.push(lines.slice(i, i + 1000).map((payload) => ({ payload, origin: 'bench' })));

const runs = builds.map((root) => {
  const make = pipelineFactory(root, checks ? resolve(checks) : join(root, 'checks'));
  return async (tag) => {
    const { p, cleanup } = make(tag);
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
const bareTimes = [];
for (let r = 0; r < rounds; r++) {
  bareTimes.push(bare());
  for (let j = 0; j < runs.length; j++) {
    const k = (j + r) % runs.length;
    times[k].push(await runs[k](`ab${r}`));
  }
  process.stderr.write(`\rround ${r + 1}/${rounds}`);
}
process.stderr.write('\n');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  return s[Math.floor(at)] + (s[Math.ceil(at)] - s[Math.floor(at)]) * (at - Math.floor(at));
};
console.log(`${n} events, ${rounds} rounds; bare JSON.parse median ${quantile(bareTimes, 0.5).toFixed(0)} ms`);
for (let k = 0; k < builds.length; k++) {
  const rel = times[k].map((ms, i) => ms / times[0][i]);
  const ratio = times[k].map((ms, i) => bareTimes[i] / ms);
  console.log(
    `${builds[k]}: median ${quantile(times[k], 0.5).toFixed(0)} ms; ×first ${quantile(rel, 0.5).toFixed(3)} (quartiles ${quantile(rel, 0.25).toFixed(3)}–${quantile(rel, 0.75).toFixed(3)}); bare/path ${quantile(ratio, 0.5).toFixed(2)}`,
  );
}
