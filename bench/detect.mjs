#!/usr/bin/env node
// bench/detect.mjs — detection quality of the checks on a labelled corpus (`npm run bench:detect`)
//
//   npm run bench:detect -- [--checks DIR] [--config FILE] [--weeks WARMUP,CLEAN,FAULT] [--rpm N] [--dump FILE] [--trace FILE]
//
// --dump FILE writes the labelled faults and every fired alert as NDJSON (to inspect misses).
// --trace FILE writes every evaluation's observations (check, time, window, labels, value) as NDJSON.
//
// Simulates weeks of the demo world (fixed seeds, a weekly rhythm), injects every fault kind several
// times at several sizes, streams it through the checks of DIR (default: the shipped checks/) with
// the same pipeline as `recsysops replay`, and prints per check: recall, false alarms per fault-free
// week, median detection delay, and whether the targets are met. Progress goes to stderr; the table
// to stdout. docs/benchmarks.md describes the corpus and the scoring.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const main = join(root, 'dist', 'bench', 'detect', 'main.js');
if (!existsSync(main)) {
  console.error('bench:detect: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  if (i + 1 >= args.length) {
    console.error(`bench:detect: --${name} needs a value`);
    process.exit(2);
  }
  return args[i + 1];
};
const corpus = {};
const weeks = opt('weeks');
if (weeks !== undefined) {
  const w = weeks.split(',').map(Number);
  if (w.length !== 3 || !w.every((x) => Number.isInteger(x) && x >= 0)) {
    console.error(`bench:detect: --weeks must be three whole numbers WARMUP,CLEAN,FAULT, not "${weeks}"`);
    process.exit(2);
  }
  [corpus.warmup_weeks, corpus.clean_weeks, corpus.fault_weeks] = w;
}
const rpm = opt('rpm');
if (rpm !== undefined) {
  if (!(Number(rpm) > 0)) {
    console.error(`bench:detect: --rpm must be a positive number, not "${rpm}"`);
    process.exit(2);
  }
  corpus.requests_per_minute = Number(rpm);
}
const { benchDetect } = require(main);
try {
  const table = await benchDetect({
    checksDir: resolve(opt('checks') ?? join(root, 'checks')),
    configPath: opt('config') && resolve(opt('config')),
    corpus,
    dumpPath: opt('dump') && resolve(opt('dump')),
    tracePath: opt('trace') && resolve(opt('trace')),
    progress: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(table + '\n');
} catch (err) {
  console.error(`bench:detect: ${err.message}`);
  process.exit(1);
}
