import { resolve } from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { Gauge, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import { systemClock, type Clock } from './clock';
import { ConfigError } from './errors';
import { loadConfig, type RecsysopsConfig } from './config/config';
import { loadChecks, resolveChecksDir, type LoadedCheck } from './config/load-checks';
import { builtinPlugins, type Plugins } from './plugins';
import { assemblePipeline, type Pipeline } from './pipeline';
import type { Notifier } from './notify/notifier';
import type { Source } from './sources/source';
import type { Logger } from './telemetry/logger';
import { startMetricsServer } from './telemetry/server';

export interface DaemonOptions {
  configPath?: string;
  checksDir?: string;
  stateDir?: string;
  metricsPort?: number;
  metricsHost?: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  plugins?: Plugins;
  /** overrides the clock (tests); otherwise the demo world's simulated clock or the system clock */
  clock?: Clock;
}

/** resolveStateDir: --state, then the config's state_dir, then RECSYSOPS_STATE, then ./.recsysops. */
export function resolveStateDir(flag: string | undefined, config: RecsysopsConfig | undefined, env: Record<string, string | undefined>): string {
  return resolve(flag ?? config?.state_dir ?? env.RECSYSOPS_STATE ?? '.recsysops');
}

/**
 * secretValues: the values of the environment variables a config names in `*_env` keys (any
 * depth), so the logger masks them wherever they might appear.
 */
export function secretValues(entries: unknown[], env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k.endsWith('_env') && typeof x === 'string' && env[x]) out.push(env[x]!);
      else walk(x);
    }
  };
  entries.forEach(walk);
  return out;
}

/** loadAll reads and validates the config and every check; one ConfigError lists every problem. */
export function loadAll(o: { configPath?: string; checksDir?: string; plugins: Plugins }): { config: RecsysopsConfig; checks: LoadedCheck[]; disabled: LoadedCheck[]; checksDir: string } {
  // An invalid recsysops.yaml does not hide the checks' problems: both are reported at once.
  let config: RecsysopsConfig | undefined;
  let configError: ConfigError | undefined;
  try {
    config = loadConfig(o.configPath, o.plugins);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configError = err;
  }
  const checksDir = resolveChecksDir(o.checksDir, config?.checks_dir);
  const { checks, disabled, problems } = loadChecks(checksDir, o.plugins.checkKinds, o.plugins.detectors);
  if (configError || problems.length) throw new ConfigError([...(configError?.problems ?? []), ...problems]);
  return { config: config!, checks, disabled, checksDir };
}

/**
 * Daemon is the composition root of `recsysops start`: it loads and validates everything before
 * anything runs, wires sources into the pipeline, schedules the cron checks, serves /metrics, and
 * on stop drains what it can.
 */
export class Daemon {
  private readonly abort = new AbortController();
  private readonly tasks: ScheduledTask[] = [];
  private timers: NodeJS.Timeout[] = [];
  private server?: Awaited<ReturnType<typeof startMetricsServer>>;
  private running: Promise<unknown>[] = [];
  readonly registry = new PromRegistry();
  readonly pipeline: Pipeline;
  readonly sources: Source[];
  readonly clock: Clock;
  readonly stateDir: string;
  /** every source is live, so the clock may close windows (see Source.live) */
  readonly live: boolean;

  constructor(
    private readonly o: DaemonOptions,
    readonly config: RecsysopsConfig,
    readonly checks: LoadedCheck[],
    plugins: Plugins,
  ) {
    this.stateDir = resolveStateDir(o.stateDir, config, o.env);
    o.logger.addSecrets(secretValues([...config.sources, ...config.notifiers, config.model ?? {}, ...checks.map((c) => c.def)], o.env));
    collectDefaultMetrics({ register: this.registry });
    const deps = { logger: o.logger, env: o.env, baseDir: config.baseDir, registry: this.registry };
    this.sources = config.sources.map(({ name, kind, ...rest }) => plugins.sources.get(kind).create(name, rest, deps));
    this.clock = o.clock ?? this.sources.find((s) => s.clock)?.clock ?? systemClock;
    const notifiers: Notifier[] = config.notifiers.map(({ name, kind, ...rest }) =>
      plugins.notifiers.get(kind).create(name, rest, { logger: o.logger.child({ notifier: name }), env: o.env, stateDir: this.stateDir, checks: checks.map((c) => c.def) }),
    );
    this.live = this.sources.every((s) => s.live);
    this.pipeline = assemblePipeline({
      checks,
      config,
      plugins,
      notifiers,
      stateDir: this.stateDir,
      registry: this.registry,
      logger: o.logger,
      clock: this.live ? this.clock : undefined,
      resumable: this.sources.some((s) => s.resumable),
      env: o.env,
    });
    new Gauge({ name: 'recsysops_config_last_reload_successful', help: 'Whether the last configuration load succeeded.', registers: [this.registry] }).set(1);
    const loaded = new Gauge({ name: 'recsysops_checks_loaded', help: 'Checks loaded, by kind.', labelNames: ['kind'], registers: [this.registry] });
    for (const c of checks) loaded.inc({ kind: c.def.kind });
  }

  static create(o: DaemonOptions): Daemon {
    const plugins = o.plugins ?? builtinPlugins();
    const { config, checks, disabled } = loadAll({ configPath: o.configPath, checksDir: o.checksDir, plugins });
    if (disabled.length) o.logger.info('checks not run (enabled: false)', { checks: disabled.map((c) => c.def.name).join(',') });
    return new Daemon(o, config, checks, plugins);
  }

  /** start serves metrics, starts cron checks and sources; resolves once everything is running. */
  async start(): Promise<{ metricsUrl: string }> {
    const log = this.o.logger;
    this.server = await startMetricsServer({
      registry: this.registry,
      host: this.o.metricsHost ?? this.config.metrics.host,
      port: this.o.metricsPort ?? this.config.metrics.port,
      ready: () => !this.abort.signal.aborted,
      json: { '/api/issues': () => this.pipeline.issues.list().map(({ id, status, check, severity, summary, opened_at }) => ({ id, status, check, severity, summary, opened_at })) },
    });
    for (const { check, runtime } of this.pipeline.scheduled) {
      const task = cron.schedule(
        runtime.schedule,
        async () => {
          try {
            const now = this.clock();
            await this.pipeline.evaluator.evaluate(check, await runtime.evaluate(now), now);
          } catch (err) {
            log.error('scheduled check failed', { check: check.def.name, error: err });
          }
        },
        { name: `check:${check.def.name}`, noOverlap: true },
      );
      this.tasks.push(task);
    }
    // With live sources, windows also close by the clock, so a stream that stops still gets judged.
    const idle = this.config.pipeline.idle_close_after;
    if (this.live) {
      this.timers.push(
        setInterval(() => {
          this.pipeline.engine.advanceTo(this.clock() - idle).catch((err) => log.error('closing idle windows failed', { error: err }));
        }, 1000),
      );
    }
    for (const source of this.sources) {
      log.info('source started', { source: source.name, kind: source.kind });
      this.running.push(
        source.run(this.pipeline.engine, this.abort.signal).then(
          () => log.info('source finished', { source: source.name }),
          (err) => log.error('source failed', { source: source.name, error: err }),
        ),
      );
    }
    log.info('recsysops started', {
      checks: this.checks.map((c) => c.def.name).join(','),
      metrics: `${this.server.url}/metrics`,
      state: this.stateDir,
      config: this.config.file,
    });
    return { metricsUrl: `${this.server.url}/metrics` };
  }

  /** stop stops sources and cron, gives notifiers a moment to deliver, and keeps the rest in the outbox. */
  async stop(flushMs = 5000): Promise<void> {
    this.abort.abort();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const t of this.tasks) await t.destroy();
    // scheduled checks holding connections (a SQL check's pool) release them
    await Promise.allSettled(this.pipeline.scheduled.map(({ runtime }) => runtime.close?.()));
    await Promise.allSettled(this.running);
    const left = await this.pipeline.notify.flush(flushMs);
    if (left) this.o.logger.warn('alerts not yet delivered are kept in the outbox for the next start', { alerts: left });
    await this.pipeline.notify.close();
    await this.server?.close();
  }
}
