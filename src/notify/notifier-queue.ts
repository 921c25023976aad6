import type { AlertRecord } from '../alerting/alert';
import { RecsysopsError, NotifyError } from '../errors';
import type { Logger } from '../telemetry/logger';
import type { NotifyMetrics } from './metrics';
import type { Notifier } from './notifier';
import type { Outbox } from './outbox';
import { retry } from './retry';

/** Sleep waits ms milliseconds and rejects early when signal aborts (the pipeline is closing). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** abortableSleep is the default Sleep: a timer that close() can cancel. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('notify pipeline closed'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('notify pipeline closed'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface QueueDeps {
  metrics: NotifyMetrics;
  logger: Logger;
  backoff: { minDelayMs: number; maxDelayMs: number; factor: number };
  sleep: Sleep;
  random?: () => number;
  outbox?: Outbox;
  /** aborted by NotifyPipeline.close(): stop retrying, keep what is pending */
  signal: AbortSignal;
}

/**
 * NotifierQueue delivers one notifier's batches in order, one at a time. It retries a retriable
 * failure until the batch is delivered, so a receiver outage delays alerts but loses none; it
 * drops a batch only on a non-retriable failure, which retrying would not fix.
 */
export class NotifierQueue {
  private readonly batches: AlertRecord[][];
  private running: Promise<void> | undefined;
  private emptyWaiters: Array<() => void> = [];

  constructor(
    readonly notifier: Notifier,
    private readonly deps: QueueDeps,
    initial: AlertRecord[][] = [],
  ) {
    this.batches = [...initial];
    deps.metrics.notifications.inc({ notifier: notifier.name, status: 'sent' }, 0);
    deps.metrics.notifications.inc({ notifier: notifier.name, status: 'failed' }, 0);
    this.updateGauge();
    this.kick();
  }

  push(alerts: AlertRecord[]): void {
    this.batches.push(alerts);
    this.changed();
    this.kick();
  }

  /** pendingAlerts counts alert records not yet delivered. */
  pendingAlerts(): number {
    return this.batches.reduce((n, b) => n + b.length, 0);
  }

  /** drained resolves when the queue is empty and its outbox says so on disk. */
  async drained(): Promise<void> {
    if (this.batches.length > 0) await new Promise<void>((resolve) => this.emptyWaiters.push(resolve));
    await this.deps.outbox?.idle();
  }

  /** stopped resolves once the send in flight (if any) has settled and the outbox is written. */
  async stopped(): Promise<void> {
    await this.running;
    await this.deps.outbox?.idle();
  }

  private kick(): void {
    if (this.running || this.deps.signal.aborted || this.batches.length === 0) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.batches.length > 0 && !this.deps.signal.aborted) {
      const outcome = await this.deliver(this.batches[0]);
      if (outcome === 'stopped') return;
      this.batches.shift();
      this.changed();
    }
  }

  private async deliver(batch: AlertRecord[]): Promise<'delivered' | 'dropped' | 'stopped'> {
    const { metrics, logger, signal } = this.deps;
    const notifier = this.notifier.name;
    try {
      await retry(
        async () => {
          const end = metrics.deliveryDuration.startTimer({ notifier });
          try {
            await this.notifier.send(batch);
          } finally {
            end();
          }
        },
        {
          retries: Infinity,
          ...this.deps.backoff,
          random: this.deps.random,
          sleep: (ms) => this.deps.sleep(ms, signal),
          bail: () => signal.aborted,
          onRetry: (err, attempt, delayMs) => {
            metrics.failures.inc({ notifier, reason: reasonOf(err) });
            logger.warn('notification failed; will retry', { notifier, reason: reasonOf(err), error: err.message, attempt: attempt + 1, retry_in_ms: delayMs, alerts: batch.length });
          },
        },
      );
      metrics.notifications.inc({ notifier, status: 'sent' }, batch.length);
      return 'delivered';
    } catch (err) {
      // After close() the batch stays queued (and in the outbox) for the next start.
      if (signal.aborted) {
        if (err instanceof RecsysopsError) metrics.failures.inc({ notifier, reason: reasonOf(err) });
        return 'stopped';
      }
      const reason = reasonOf(err);
      metrics.failures.inc({ notifier, reason });
      metrics.notifications.inc({ notifier, status: 'failed' }, batch.length);
      logger.error('notification failed and will not be retried; alerts dropped for this notifier', {
        notifier,
        reason,
        error: err instanceof Error ? err.message : String(err),
        alerts: batch.length,
        issues: batch.map((a) => a.issue_id).join(','),
      });
      return 'dropped';
    }
  }

  private changed(): void {
    this.updateGauge();
    this.deps.outbox?.save(this.batches);
    if (this.batches.length === 0) for (const resolve of this.emptyWaiters.splice(0)) resolve();
  }

  private updateGauge(): void {
    this.deps.metrics.queueLength.set({ notifier: this.notifier.name }, this.pendingAlerts());
  }
}

/** reasonOf: the metric label of a failure; errors that are not a NotifyError count as `other`. */
function reasonOf(err: unknown): string {
  return err instanceof NotifyError ? err.reason : 'other';
}
