import { join } from 'node:path';
import type { Registry as PromRegistry } from 'prom-client';
import type { Clock } from './clock';
import type { LoadedCheck } from './config/load-checks';
import type { RecsysopsConfig } from './config/config';
import type { ScheduledCheck, StreamingCheck } from './check-kinds/kind';
import type { Notifier } from './notify/notifier';
import type { Logger } from './telemetry/logger';
import type { Plugins } from './plugins';
import { AlertManager } from './alerting/manager';
import { IssueStore } from './issues/store';
import { ServingSampler } from './capture/serving-sampler';
import { Evaluator } from './evaluation/evaluator';
import { createEvaluationMetrics } from './evaluation/metrics';
import { WindowEngine } from './window/engine';
import { createWindowMetrics } from './window/metrics';
import { WindowProgress } from './window/progress';
import { NotifyPipeline } from './notify/pipeline';
import { createNotifyMetrics } from './notify/metrics';
import { configuredModel } from './cold-start/model-access';
import { ServingFeatures } from './check-kinds/serving-features';
import { ShownImpressions } from './check-kinds/shown-impressions';

export interface PipelineOptions {
  checks: LoadedCheck[];
  config: RecsysopsConfig;
  plugins: Plugins;
  notifiers: Notifier[];
  stateDir: string;
  registry: PromRegistry;
  logger: Logger;
  /** the live clock (daemon); replay has none and lives in event time only */
  clock?: Clock;
  /**
   * a source re-reads from committed positions after a restart (Kafka): persist each check's
   * "closed up to" window start so re-read events of closed windows are skipped (docs/kafka.md)
   */
  resumable?: boolean;
  /** the environment checks read their secrets from (`*_env`); process.env when not given */
  env?: Record<string, string | undefined>;
  /** retry delays of the notifiers */
  backoff?: { minDelayMs: number; maxDelayMs: number };
}

export interface Pipeline {
  engine: WindowEngine;
  evaluator: Evaluator;
  notify: NotifyPipeline;
  issues: IssueStore;
  alerts: AlertManager;
  scheduled: Array<{ check: LoadedCheck; runtime: ScheduledCheck }>;
}

/**
 * assemblePipeline wires the stages the data flows through once — window engine → checks →
 * evaluator (detectors, alert state machine, issues) → notify pipeline — for the daemon and for
 * replay alike, so both judge events the same way.
 */
export function assemblePipeline(o: PipelineOptions): Pipeline {
  const clock = o.clock ?? (() => 0);
  const streaming: Array<{ check: LoadedCheck; runtime: StreamingCheck }> = [];
  const scheduled: Array<{ check: LoadedCheck; runtime: ScheduledCheck }> = [];
  const model = configuredModel(o.config, o.plugins.models);
  const shownImpressions = new ShownImpressions();
  const servingFeatures = new ServingFeatures();
  for (const check of o.checks) {
    const runtime = check.kind.create(check.def, { clock, logger: o.logger.child({ check: check.def.name }), env: o.env, registry: o.registry, model, shownImpressions, servingFeatures });
    if (runtime.mode === 'streaming') streaming.push({ check, runtime });
    else scheduled.push({ check, runtime });
  }
  const notify = new NotifyPipeline({
    notifiers: o.notifiers,
    metrics: createNotifyMetrics(o.registry),
    logger: o.logger,
    stateDir: o.stateDir,
    backoff: o.backoff ?? { minDelayMs: 1000, maxDelayMs: 60_000 },
  });
  const issues = new IssueStore(o.stateDir);
  const alerts = new AlertManager(join(o.stateDir, 'alert-state.json'));
  const cap = o.config.capture;
  const sampler = ServingSampler.fromConfig(cap);
  const evaluator = new Evaluator({
    detectors: o.plugins.detectors,
    alerts,
    issues,
    notify,
    sampler,
    metrics: createEvaluationMetrics(o.registry),
    logger: o.logger,
    links: o.config.links,
  });
  const byName = new Map(streaming.map((s) => [s.check.def.name, s.check]));
  const p = o.config.pipeline;
  const engine = new WindowEngine({
    streaming: streaming.map((s) => ({ name: s.check.def.name, runtime: s.runtime })),
    watchers: scheduled.map((s) => ({ name: s.check.def.name, runtime: s.runtime })),
    allowedLatenessMs: p.allowed_lateness,
    futureToleranceMs: p.future_tolerance,
    maxEventBytes: p.max_event_bytes,
    // the feature checks' walk reads every value anyway: decoding checks the values through it
    featureWalker: servingFeatures.hasReaders ? servingFeatures : undefined,
    metrics: createWindowMetrics(o.registry),
    logger: o.logger,
    clock: o.clock,
    progress: o.resumable ? new WindowProgress(join(o.stateDir, 'window-progress.json')) : undefined,
    onEvent: (e) => {
      if (e.type === 'serving') sampler.add(e);
    },
    onWindowClosed: async (c, start, end, observations) => {
      await evaluator.evaluate(byName.get(c.name)!, observations, end, { start, end });
    },
  });
  return { engine, evaluator, notify, issues, alerts, scheduled };
}
