import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinPlugins } from '../../plugins';
import { createLogger } from '../../telemetry/logger';
import { buildCorpus } from './corpus';
import { catchesOf, loadBenchConfig, SHARP_KINDS } from './config';
import { runCorpus } from './run';
import { scoreChecks } from './score';
import { report } from './table';

export interface BenchDetectOptions {
  /** the checks to benchmark (default: the shipped checks/) */
  checksDir: string;
  /** a bench config file (corpus, catches, targets); absent: the defaults */
  configPath?: string;
  /** overrides of the corpus, e.g. fewer weeks for a quick look */
  corpus?: Partial<{ warmup_weeks: number; clean_weeks: number; fault_weeks: number; requests_per_minute: number }>;
  progress: (line: string) => void;
  /** write the labelled faults and every fired alert here (NDJSON), to inspect misses and false alarms */
  dumpPath?: string;
  /**
   * write every evaluation here (NDJSON: check, evaluation time, window, and each observation's labels and
   * value), to tune a check's detector offline on the recorded values without generating the corpus again
   */
  tracePath?: string;
}

/** benchDetect builds the corpus, runs the checks over it and returns the printed report. */
export async function benchDetect(o: BenchDetectOptions): Promise<string> {
  const config = loadBenchConfig(o.configPath);
  const corpus = buildCorpus({ ...config.corpus, ...o.corpus });
  const plugins = builtinPlugins();
  const logger = createLogger({ level: 'error' });
  const t0 = Date.now();
  o.progress(`bench:detect: ${corpus.faults.length} faults over ${(corpus.endTime - corpus.startTime) / 86_400_000} simulated days; checks ${resolve(o.checksDir)}`);
  const trace = o.tracePath ? openSync(o.tracePath, 'w') : undefined;
  let traced: string[] = [];
  const flushTrace = () => {
    if (trace !== undefined && traced.length) writeSync(trace, traced.join(''));
    traced = [];
  };
  const run = await runCorpus({
    corpus,
    checksDir: o.checksDir,
    plugins,
    logger,
    scheduledEveryMs: config.scheduled_every_s * 1000,
    ...(trace !== undefined
      ? {
          onEvaluate: (e: { check: string; at: number; window?: { start: number; end: number }; observations: Array<{ labels: object; value: number; informational?: boolean }> }) => {
            const obs = e.observations.map((x) => ({ labels: x.labels, value: Number.isFinite(x.value) ? x.value : null, ...(x.informational ? { informational: true } : {}) }));
            traced.push(JSON.stringify({ check: e.check, at: e.at, ...(e.window ? { window: e.window } : {}), obs }) + '\n');
            if (traced.length >= 10_000) flushTrace();
          },
        }
      : {}),
    onDay: ({ day, days, events, alerts }) =>
      o.progress(`  day ${day}/${days}: ${events} events, ${alerts} alerts fired, ${((Date.now() - t0) / 1000).toFixed(0)} s`),
  });
  flushTrace();
  if (trace !== undefined) closeSync(trace);
  if (o.dumpPath) {
    const iso = (t: number) => new Date(t).toISOString();
    const lines = [
      ...corpus.faults.map((f) => ({ fault: f.kind, id: f.id, size: f.size, starts: iso(f.startsAt), ends: iso(f.endsAt) })),
      ...run.alerts.map((a) => ({ alert: a.check, at: iso(a.at), labels: a.labels })),
      ...run.resolved.map((a) => ({ resolved: a.check, at: iso(a.at), labels: a.labels })),
    ];
    writeFileSync(o.dumpPath, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  const scheduledMs = config.scheduled_every_s * 1000;
  const checks = run.checks.map((c) => ({
    name: c.def.name,
    kind: c.def.kind,
    windowMs: c.kind.mode === 'streaming' ? Number((c.def as { window?: number }).window) : scheduledMs,
    catches: catchesOf(config, { name: c.def.name, kind: c.def.kind, def: c.def as unknown as Record<string, unknown> }),
  }));
  const scores = scoreChecks(checks, corpus.faults, run.alerts, {
    graceWindows: config.grace_windows,
    clean: corpus.clean,
    faulted: corpus.faulted,
    sharpKinds: SHARP_KINDS,
  });
  const t = config.targets;
  return report(corpus, scores, { moderateSize: t.moderate_size, maxFalseAlarmsPerWeek: t.max_false_alarms_per_week, maxDelayWindows: t.max_delay_windows }, SHARP_KINDS, {
    checksDir: o.checksDir,
    events: run.events,
    seconds: (Date.now() - t0) / 1000,
  });
}
