import { z } from 'zod';
import { labelsKey, type Observation, type SeriesLabel } from '../kind';
import { QueryError } from './failure';
import { assertDistinctSeries, type QueryRow } from './row';

/**
 * compare_versions: each row carries a model_version; the observation is the candidate version's
 * value relative to the baseline version's (per group of the other labels). Offline metrics such
 * as NDCG@10 are only meaningful against the model they replace.
 */
export const compareVersionsSchema = z.strictObject({
  /** `latest-previous`: the version just before the candidate; or a fixed version, e.g. `v41` */
  baseline: z.string().min(1).default('latest-previous'),
  /** `latest`: the newest version; or a fixed version */
  candidate: z.string().min(1).default('latest'),
  /** what orders versions (oldest first): a column, a field path next to the value, or a Prometheus label; the row order when absent */
  order_by: z.string().min(1).optional(),
  /** relative: (candidate − baseline) / |baseline|; difference: candidate − baseline */
  measure: z.enum(['relative', 'difference']).default('relative'),
});
export type CompareVersions = z.output<typeof compareVersionsSchema>;

export interface Compared {
  observations: Observation[];
  /** groups that gave no observation, in words (only one version yet, the baseline is missing…) */
  notes: string[];
}

/**
 * compareVersions groups rows by their labels other than model_version, orders each group's
 * versions (by `order_by`, else as the rows came), picks the candidate and its baseline, and
 * observes their relative change or difference. The series does not carry model_version, so one
 * series (and its detector and alert) follows "newest against previous" across releases; both
 * versions are named in the evidence, the details and the summary.
 */
export function compareVersions(rows: QueryRow[], cfg: CompareVersions): Compared {
  assertDistinctSeries(rows);
  const groups = new Map<string, { labels: Partial<Record<SeriesLabel, string>>; rows: QueryRow[] }>();
  for (const r of rows) {
    if (r.labels.model_version === undefined) {
      throw new QueryError('bad_result', `${r.origin} has no model_version: compare_versions needs the version as a series label (series_labels: model_version)`);
    }
    const { model_version: _version, ...rest } = r.labels;
    const key = labelsKey(rest);
    const g = groups.get(key) ?? { labels: rest, rows: [] as QueryRow[] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const observations: Observation[] = [];
  const notes: string[] = [];
  for (const [key, g] of groups) {
    const where = key ? ` for {${key}}` : '';
    const ordered = cfg.order_by ? sortByOrder(g.rows, cfg.order_by) : g.rows;
    const versions = ordered.map((r) => r.labels.model_version as string);
    const ci = cfg.candidate === 'latest' ? versions.length - 1 : versions.indexOf(cfg.candidate);
    if (ci < 0) {
      notes.push(`candidate version ${cfg.candidate} is not in the result${where} (versions: ${versions.join(', ')})`);
      continue;
    }
    const bi = cfg.baseline === 'latest-previous' ? ci - 1 : versions.indexOf(cfg.baseline);
    if (bi < 0) {
      notes.push(
        cfg.baseline === 'latest-previous'
          ? `only ${versions.length === 1 ? 'one version' : 'no version before the candidate'} (${versions[ci]})${where}: nothing to compare yet`
          : `baseline version ${cfg.baseline} is not in the result${where} (versions: ${versions.join(', ')})`,
      );
      continue;
    }
    if (bi === ci) {
      notes.push(`the candidate is the baseline (${versions[ci]})${where}: nothing to compare`);
      continue;
    }
    const c = ordered[ci];
    const b = ordered[bi];
    if (c.value === null || b.value === null) {
      notes.push(`${c.value === null ? versions[ci] : versions[bi]} has no value${where}`);
      continue;
    }
    if (cfg.measure === 'relative' && b.value === 0) {
      notes.push(`baseline ${versions[bi]} is 0${where}: a relative change is undefined (use measure: difference)`);
      continue;
    }
    const value = cfg.measure === 'relative' ? (c.value - b.value) / Math.abs(b.value) : c.value - b.value;
    const change = cfg.measure === 'relative' ? `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%` : `${value >= 0 ? '+' : ''}${round(value)}`;
    observations.push({
      labels: g.labels,
      value,
      details: { candidate: versions[ci], baseline: versions[bi], candidate_value: c.value, baseline_value: b.value, measure: cfg.measure },
      evidence: [
        { name: `model_version=${versions[ci]}`, value: c.value, reference: b.value, note: `candidate against baseline ${versions[bi]}: ${change}` },
        { name: `model_version=${versions[bi]}`, value: b.value, note: 'baseline' },
      ],
      summary: `model_version ${versions[ci]} at ${round(c.value)} against ${round(b.value)} for baseline ${versions[bi]} (${change})`,
    });
  }
  return { observations, notes };
}

function sortByOrder(rows: QueryRow[], orderBy: string): QueryRow[] {
  for (const r of rows) if (r.order === undefined) throw new QueryError('bad_result', `${r.origin} has no value for compare_versions.order_by (${orderBy})`);
  // stable: equal keys keep the row order
  return [...rows].sort((a, b) => {
    const x = a.order as number | string;
    const y = b.order as number | string;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
  });
}

function round(v: number): string {
  return String(Number(v.toPrecision(4)));
}
