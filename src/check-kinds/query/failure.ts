import { Counter, Registry as PromRegistry } from 'prom-client';
import type { Logger } from '../../telemetry/logger';

/**
 * Why a scheduled query produced no observation. A closed set, so it can be a metric label:
 * - unreachable: connection refused, unknown host, database does not exist
 * - timeout: the connection, the statement or the response took longer than `timeout`
 * - auth: credentials refused (HTTP 401/403, PostgreSQL 28xxx)
 * - bad_query: the peer rejected the query (SQL error, PromQL bad_data)
 * - http_status: any other non-2xx answer
 * - not_json: the answer is not JSON
 * - path_not_found: a JSON path, a column or a directory that is not there
 * - bad_result: the result does not make observations (a non-numeric value, two rows for one series)
 * - config: something the check needs is not set (an environment variable)
 * - io: a file system error other than a missing directory
 * - other: anything else
 */
export const QUERY_ERROR_REASONS = [
  'unreachable',
  'timeout',
  'auth',
  'bad_query',
  'http_status',
  'not_json',
  'path_not_found',
  'bad_result',
  'config',
  'io',
  'other',
] as const;
export type QueryErrorReason = (typeof QUERY_ERROR_REASONS)[number];

/** QueryError: a query that failed, with a reason (a metric label) and a message a user can act on. */
export class QueryError extends Error {
  constructor(
    readonly reason: QueryErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** asQueryError keeps a QueryError and files anything else (a bug, an unexpected library error) under `other`. */
export function asQueryError(err: unknown): QueryError {
  if (err instanceof QueryError) return err;
  return new QueryError('other', describeError(err));
}

/** describeError: a message for any thrown value, including Node's AggregateError (whose own message is empty). */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return err.errors.map(describeError).join('; ');
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** errorCode: the system error code of an error, its cause or the first of an AggregateError (ECONNREFUSED…). */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'string') return e.code;
  if (e.cause) return errorCode(e.cause);
  if (Array.isArray(e.errors) && e.errors.length) return errorCode(e.errors[0]);
  return undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);

/** isNetworkError: the peer could not be reached or dropped the connection. */
export function isNetworkError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && NETWORK_CODES.has(code);
}

const ERRORS_METRIC = 'recsysops_query_errors_total';

/** queryErrorCounter: one counter per registry, shared by every query check (prom-client refuses a second registration). */
export function queryErrorCounter(registry: PromRegistry | undefined): Counter<'check' | 'reason'> {
  const reg = registry ?? new PromRegistry();
  const existing = reg.getSingleMetric(ERRORS_METRIC) as Counter<'check' | 'reason'> | undefined;
  return (
    existing ??
    new Counter({
      name: ERRORS_METRIC,
      help: 'Scheduled queries (sql, http-json, promql, files) that produced no observation, by check and reason.',
      labelNames: ['check', 'reason'] as const,
      registers: [reg],
    })
  );
}

/**
 * QueryHealth logs a query's failures once per change of state — the first failure, a different
 * reason, the recovery — not at every cron tick, and counts every failure in
 * recsysops_query_errors_total. Notes (nothing to compare yet, no file matched) are logged the
 * same way: once, when they change.
 */
export class QueryHealth {
  private failingReason?: QueryErrorReason;
  private failures = 0;
  private notes = '';

  constructor(
    private readonly check: string,
    private readonly logger: Logger,
    private readonly counter: Counter<'check' | 'reason'>,
  ) {}

  failed(err: QueryError): void {
    this.counter.inc({ check: this.check, reason: err.reason });
    if (this.failingReason !== err.reason) {
      this.logger.error(`query failed (${err.reason}): ${err.message}; no observation until it works again`, { reason: err.reason });
      this.failingReason = err.reason;
      this.failures = 0;
    }
    this.failures++;
  }

  succeeded(): void {
    if (this.failingReason === undefined) return;
    this.logger.info('query works again', { failed_evaluations: this.failures, reason: this.failingReason });
    this.failingReason = undefined;
    this.failures = 0;
  }

  note(notes: string[]): void {
    const key = notes.join('; ');
    if (key === this.notes) return;
    this.notes = key;
    if (key) this.logger.warn(`query result: ${key}`);
  }
}
