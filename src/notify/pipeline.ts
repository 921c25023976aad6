import type { AlertRecord } from '../alerting/alert';
import type { Logger } from '../telemetry/logger';
import type { NotifyMetrics } from './metrics';
import type { Notifier } from './notifier';
import { abortableSleep, NotifierQueue, type Sleep } from './notifier-queue';
import { orphanOutboxes, Outbox, outboxDir } from './outbox';

/** NotifyPipelineOptions: the notifiers to fan out to and everything the pipeline must not create itself. */
export interface NotifyPipelineOptions {
  notifiers: Notifier[];
  metrics: NotifyMetrics;
  logger: Logger;
  /** when set, pending alerts are kept in `<stateDir>/outbox/<notifier>.json` across restarts */
  stateDir?: string;
  /** retry delays: full jitter between minDelayMs and a cap growing by `factor` (default 2) up to maxDelayMs */
  backoff: { minDelayMs: number; maxDelayMs: number; factor?: number };
  /** waits between retries (tests inject one); must reject when the signal aborts */
  sleep?: Sleep;
  /** jitter source in [0,1) */
  random?: () => number;
}

/**
 * NotifyPipeline fans every batch of alert records out to all notifiers, with one queue per
 * notifier so a broken webhook never delays the email. Retriable failures are retried until the
 * receiver is back; with a state directory the pending queues are persisted, so alerts raised
 * during an outage survive a restart too.
 */
export class NotifyPipeline {
  private readonly queues: NotifierQueue[];
  private readonly abort = new AbortController();
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: NotifyPipelineOptions) {
    const names = opts.notifiers.map((n) => n.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`notifier name "${dup}" is used twice; names must be unique`);
    const backoff = { factor: 2, ...opts.backoff };
    this.queues = opts.notifiers.map((notifier) => {
      const outbox = opts.stateDir === undefined ? undefined : new Outbox(opts.stateDir, notifier.name, opts.logger);
      const initial = outbox?.load() ?? [];
      const reloaded = initial.reduce((n, b) => n + b.length, 0);
      if (reloaded > 0) opts.logger.info('reloaded undelivered alerts from the outbox', { notifier: notifier.name, alerts: reloaded });
      return new NotifierQueue(
        notifier,
        { metrics: opts.metrics, logger: opts.logger, backoff, sleep: opts.sleep ?? abortableSleep, random: opts.random, outbox, signal: this.abort.signal },
        initial,
      );
    });
    if (opts.stateDir !== undefined) {
      for (const file of orphanOutboxes(opts.stateDir, names)) {
        opts.logger.warn('outbox of a notifier that is no longer configured; its alerts will not be sent', { file: `${outboxDir(opts.stateDir)}/${file}` });
      }
    }
  }

  /**
   * enqueue hands a batch to every notifier and returns at once; delivery happens in the
   * background, in order per notifier. After close() the batch is only kept in the outbox.
   */
  enqueue(alerts: AlertRecord[]): void {
    if (alerts.length === 0) return;
    if (this.abort.signal.aborted) {
      this.opts.logger.warn('alerts enqueued after the notify pipeline closed; kept for the next start only', { alerts: alerts.length });
    }
    const batch = [...alerts];
    for (const q of this.queues) q.push(batch);
  }

  /** pending counts alert records not yet delivered, summed over notifiers. */
  pending(): number {
    return this.queues.reduce((n, q) => n + q.pendingAlerts(), 0);
  }

  /**
   * flush waits until every queue is empty (and persisted), or timeoutMs passes; it resolves with
   * the number of alert records still pending (0 when everything was delivered).
   */
  async flush(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(this.queues.map((q) => q.drained())), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.pending();
  }

  /**
   * close stops retrying (pending alerts stay in the outbox), waits for sends in flight, then
   * closes the notifiers. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.queues.map((q) => q.stopped()));
    for (const q of this.queues) {
      try {
        await q.notifier.close?.();
      } catch (e) {
        this.opts.logger.warn('notifier did not close cleanly', { notifier: q.notifier.name, error: e });
      }
    }
  }
}
