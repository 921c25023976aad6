import type { z } from 'zod';
import type { AlertRecord } from '../alerting/alert';
import type { Logger } from '../telemetry/logger';

/**
 * Notifier delivers alert records to one receiver. send() throws a NotifyError on failure, with
 * `retriable` telling the pipeline whether to try again later.
 */
export interface Notifier {
  /** the name the user gave it in recsysops.yaml (metric label) */
  readonly name: string;
  readonly kind: string;
  send(alerts: AlertRecord[]): Promise<void>;
  close?(): Promise<void>;
}

export interface NotifierDeps {
  logger: Logger;
  /** environment to read secrets from (process.env in production) */
  env: Record<string, string | undefined>;
  /** directory for notifiers that write files (the state directory) */
  stateDir: string;
  /**
   * the loaded checks' kind and declared upstreams, for notifiers that label alerts with them
   * (alertmanager: `check_kind`, `depends_on`); optional, a notifier works without it
   */
  checks?: ReadonlyArray<CheckInfo>;
}

/** CheckInfo: what a notifier may know about the check behind an alert. */
export interface CheckInfo {
  name: string;
  kind: string;
  depends_on: readonly string[];
}

export interface NotifierPlugin<C = Record<string, unknown>> {
  kind: string;
  description: string;
  /** zod schema of the notifier's entry in recsysops.yaml (without `name`/`kind`) */
  schema: z.ZodType<C>;
  create(name: string, config: C, deps: NotifierDeps): Notifier;
}
