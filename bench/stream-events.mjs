// bench/stream-events.mjs — the generated events and the pipeline that bench/streaming.mjs and
// bench/ab.mjs measure (1M distinct users, 100k items; 70% impressions, 15% engagements, 15%
// serving events of 10 candidates).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const USERS = 1_000_000;
export const ITEMS = 100_000;
const T0 = Date.parse('2026-11-23T00:00:00Z');
const STEP_MS = 2; // event time advances 2 ms per event: 1M events ≈ 33 minutes of traffic

/** event i as a JSON line: deterministic, so every measurement sees the same stream */
export function line(i) {
  const ts = T0 + i * STEP_MS;
  const h = (i * 2654435761) >>> 0;
  const user = `u${h % USERS}`;
  const item = `i${(h >>> 3) % ITEMS}`;
  const r = i % 20;
  if (r < 14) return `{"type":"impression","ts":${ts},"request_id":"r${(i / 10) | 0}","user_id":"${user}","item_id":"${item}","position":${i % 10},"score":${((h % 1000) / 1000).toFixed(3)},"model_version":"v1","surface":"${r % 2 ? 'home' : 'search'}"}`;
  if (r < 17) return `{"type":"engagement","ts":${ts},"request_id":"r${((i / 10) | 0) - 3}","user_id":"${user}","item_id":"${item}","action":"play"}`;
  const cands = [];
  for (let c = 0; c < 10; c++) cands.push(`{"item_id":"i${(h + c * 7919) % ITEMS}","features":{"user_item_affinity":${((h >>> c) % 100) / 100},"item_popularity":${c / 10},"embedding_norm":1.2}}`);
  return `{"type":"serving","ts":${ts},"request_id":"r${(i / 10) | 0}","user_id":"${user}","model_version":"v1","context":{"hour":${new Date(ts).getUTCHours()},"device":"tv"},"candidates":[${cands.join(',')}],"scores":[0.9,0.8,0.7,0.6,0.5,0.4,0.3,0.2,0.1,0.05],"latency_ms":${20 + (h % 30)}}`;
}

/**
 * pipelineFactory: a maker of fresh pipelines (the streaming path with every check in checksDir, no
 * notifier) from the build in `root` (its dist/). Each build is its own module graph, so two builds
 * can be loaded side by side in one process.
 */
export function pipelineFactory(root, checksDir) {
  const require = createRequire(join(root, 'package.json'));
  const dist = (p) => join(root, 'dist', p);
  const { assemblePipeline } = require(dist('pipeline.js'));
  const { loadAll } = require(dist('daemon.js'));
  const { builtinPlugins } = require(dist('plugins.js'));
  const { createLogger } = require(dist('telemetry/logger.js'));
  const { Registry } = require('prom-client');
  return (tag) => {
    const dir = mkdtempSync(join(tmpdir(), `recsysops-bench-${tag}-`));
    const cfg = join(dir, 'recsysops.yaml');
    writeFileSync(cfg, JSON.stringify({ sources: [{ name: 'x', kind: 'ndjson', paths: ['/dev/null'] }], checks_dir: checksDir }));
    const plugins = builtinPlugins();
    const { config, checks } = loadAll({ configPath: cfg, plugins });
    const registry = new Registry();
    const logger = createLogger({ level: 'error' });
    const p = assemblePipeline({ checks, config, plugins, notifiers: [], stateDir: join(dir, 'state'), registry, logger });
    return { p, dir, registry, logger, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  };
}
