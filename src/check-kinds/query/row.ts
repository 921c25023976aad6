import { labelsKey, type Observation, type SeriesLabel } from '../kind';
import { QueryError } from './failure';

/**
 * QueryRow: one row of a query's result, before it becomes an observation — its value, the series
 * labels it carries, and (for compare_versions) the key that orders model versions.
 */
export interface QueryRow {
  labels: Partial<Record<SeriesLabel, string>>;
  /** null: the row has no value (SQL NULL, JSON null, PromQL NaN) and gives no observation */
  value: number | null;
  /** where the row came from, for messages: `row 3`, `data.metrics[2]`, `{job="api"}` */
  origin: string;
  /** compare_versions.order_by's value, when given */
  order?: number | string;
  /** extra facts kept with the observation (e.g. the newest file) */
  details?: Record<string, unknown>;
  evidence?: Observation['evidence'];
}

/**
 * toValue reads a result cell as a number: numbers as they are, numeric strings (PostgreSQL returns
 * numeric and bigint as strings), null/undefined as "no value". Anything else is an error naming
 * where it was, never a silent zero.
 */
export function toValue(raw: unknown, where: string): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    if (!Number.isNaN(n)) return Number.isFinite(n) ? n : null;
    if (/^[+-]?inf(inity)?$|^nan$/i.test(raw.trim())) return null;
  }
  throw new QueryError('bad_result', `${where}: expected a number, got ${JSON.stringify(raw)}`);
}

/** toLabel renders a label cell as text; a missing one is `(null)`, so the series stays distinct and visible. */
export function toLabel(raw: unknown): string {
  if (raw === null || raw === undefined) return '(null)';
  if (raw instanceof Date) return raw.toISOString();
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

/** toOrder reads a compare_versions.order_by cell: numbers, dates (as epoch ms) and text sort as themselves. */
export function toOrder(raw: unknown, where: string): number | string {
  if (typeof raw === 'number' || typeof raw === 'string') return raw;
  if (raw instanceof Date) return raw.getTime();
  if (typeof raw === 'bigint') return Number(raw);
  throw new QueryError('bad_result', `${where}: compare_versions.order_by has no usable value (got ${JSON.stringify(raw)})`);
}

/**
 * rowsToObservations: one observation per row that has a value. Two rows for the same series
 * would feed one detector twice in one tick, so they are refused with both rows named.
 */
export function rowsToObservations(rows: QueryRow[]): Observation[] {
  assertDistinctSeries(rows);
  return rows
    .filter((r) => r.value !== null)
    .map((r) => ({
      labels: r.labels,
      value: r.value as number,
      ...(r.details ? { details: r.details } : {}),
      ...(r.evidence ? { evidence: r.evidence } : {}),
    }));
}

export function assertDistinctSeries(rows: QueryRow[]): void {
  const seen = new Map<string, string>();
  for (const r of rows) {
    const key = labelsKey(r.labels);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new QueryError(
        'bad_result',
        `${first} and ${r.origin} are the same series {${key}}: map more columns onto series labels, or aggregate (GROUP BY, sum by) so each series has one row`,
      );
    }
    seen.set(key, r.origin);
  }
}
