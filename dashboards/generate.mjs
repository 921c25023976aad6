#!/usr/bin/env node
// generate.mjs: writes the Grafana dashboards (dashboards/grafana/json/*.json) from the TypeScript in
// src/telemetry/grafana/, compiled into dist/ (npm run build), for the checks in --checks DIR (default:
// the shipped checks/). Run after changing a check's kind or the dashboards' code:
//   npm run build && node dashboards/generate.mjs [--checks DIR] [--out DIR]
// test/deploy/dashboards.test.ts fails when the committed JSON differs from this output.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const require = createRequire(import.meta.url);
const { generateDashboards } = require(join(root, 'dist/telemetry/grafana/dashboards.js'));
const { loadChecks } = require(join(root, 'dist/config/load-checks.js'));
const { builtinPlugins } = require(join(root, 'dist/plugins.js'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const checksDir = resolve(arg('--checks', join(root, 'checks')));
const outDir = resolve(arg('--out', join(here, 'grafana', 'json')));
const plugins = builtinPlugins();
const { checks, problems } = loadChecks(checksDir, plugins.checkKinds, plugins.detectors);
if (problems.length) {
  for (const p of problems) process.stderr.write(`${p.file}: ${p.path}: ${p.message}\n`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(generateDashboards(checks.map((c) => ({ name: c.def.name, kind: c.def.kind }))))) {
  writeFileSync(join(outDir, file), text);
  process.stderr.write(`wrote ${join(outDir, file)}\n`);
}
