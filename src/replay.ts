import { resolve } from 'node:path';
import { Registry as PromRegistry, type Counter } from 'prom-client';
import type { AlertRecord } from './alerting/alert';
import type { Notifier } from './notify/notifier';
import type { Plugins } from './plugins';
import type { Logger } from './telemetry/logger';
import { loadAll } from './daemon';
import { assemblePipeline } from './pipeline';
import { NdjsonFileSource } from './sources/ndjson-file';

export interface ReplayOptions {
  files: string[];
  configPath?: string;
  checksDir?: string;
  stateDir: string;
  plugins: Plugins;
  logger: Logger;
  /** called with each alert record as it is raised (the CLI's --json writes them to stdout) */
  onAlert?: (alert: AlertRecord) => void;
}

export interface ReplaySummary {
  events: Record<string, number>;
  malformed: Record<string, number>;
  late: number;
  alerts: AlertRecord[];
  issues: string[];
  scheduledChecksSkipped: string[];
}

/**
 * replay runs the checks over recorded NDJSON events in event time: the same pipeline as the
 * daemon, with no clock (windows close as the events' own time moves on, and all remaining ones at
 * the end). Alerts go to the state directory's alerts.ndjson and to onAlert — never to the
 * configured notifiers: trying a check on old data must not page anyone.
 */
export async function replay(o: ReplayOptions): Promise<ReplaySummary> {
  const { config, checks } = loadAll({ configPath: o.configPath, checksDir: o.checksDir, plugins: o.plugins });
  const stateDir = resolve(o.stateDir);
  const alerts: AlertRecord[] = [];
  const collector: Notifier = {
    name: 'replay',
    kind: 'replay',
    async send(batch) {
      for (const a of batch) {
        alerts.push(a);
        o.onAlert?.(a);
      }
    },
  };
  const file = o.plugins.notifiers.get('file');
  const fileNotifier = file.create('alerts-file', file.schema.parse({}), { logger: o.logger, env: {}, stateDir });
  const registry = new PromRegistry();
  const pipeline = assemblePipeline({ checks, config, plugins: o.plugins, notifiers: [collector, fileNotifier], stateDir, registry, logger: o.logger });
  const skipped = pipeline.scheduled.map((s) => s.check.def.name);
  if (skipped.length) o.logger.info('scheduled checks are not replayed (they run on the wall clock)', { checks: skipped.join(',') });

  const source = new NdjsonFileSource('replay', o.files.map((f) => resolve(f)));
  await source.run(pipeline.engine, new AbortController().signal);
  await pipeline.engine.flush();
  const left = await pipeline.notify.flush(30_000);
  if (left) o.logger.warn('some alerts could not be written', { alerts: left });
  await pipeline.notify.close();

  const counts = async (name: string) => {
    const m = registry.getSingleMetric(name) as Counter<string> | undefined;
    const out: Record<string, number> = {};
    for (const v of (await m?.get())?.values ?? []) out[String(Object.values(v.labels)[0] ?? '')] = v.value;
    return out;
  };
  const late = Object.values(await counts('recsysops_events_late_total')).reduce((a, b) => a + b, 0);
  return {
    events: await counts('recsysops_events_consumed_total'),
    malformed: await counts('recsysops_events_malformed_total'),
    late,
    alerts,
    issues: [...new Set(alerts.map((a) => a.issue_id).filter(Boolean))],
    scheduledChecksSkipped: skipped,
  };
}
