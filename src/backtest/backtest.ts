import type { Detector, DetectorPlugin } from '../detectors/detector';
import { builtinDetectors, createDetector, DEFAULT_DETECTOR } from '../detectors';
import { UsageError } from '../errors';
import type { Registry } from '../registry';
import { DECIMAL, parseSeriesCsv, type SeriesRow } from './series-csv';

export { parseSeriesCsv, parseTimestamp, SeriesCsvError, type SeriesRow } from './series-csv';

/** DEFAULT_BACKTEST_DETECTOR: the detector `recsysops backtest` uses without `--detector`. */
export const DEFAULT_BACKTEST_DETECTOR = DEFAULT_DETECTOR;

/** BacktestRow is an input row with the detector's verdict on it. */
export interface BacktestRow extends SeriesRow {
  /** score in [0,1], rounded to 6 decimals so the output is stable across platforms */
  anomaly_score: number;
  is_anomaly: boolean;
}

/**
 * BacktestOptions.learn: `all` (default) adds every value to the baseline; `while-normal` keeps a
 * value out while the previous row was anomalous, the way the daemon keeps the values of a firing
 * alert out of the baseline, so a long incident stays flagged instead of becoming the new normal.
 */
export interface BacktestOptions {
  learn?: 'all' | 'while-normal';
}

/**
 * parseParamArgs turns `--param` values (`["threshold=3", "direction=down"]`) into a params
 * object: decimal numbers and `true`/`false` are coerced, anything else (`1d`, `down`) stays a
 * string for the detector's schema to judge. Throws UsageError on a missing `=` or a repeated key.
 */
export function parseParamArgs(args: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq).trim() : '';
    if (key === '') throw new UsageError(`--param "${arg}": expected key=value, e.g. threshold=3`);
    if (Object.hasOwn(params, key)) throw new UsageError(`--param ${key} given twice`);
    params[key] = coerce(arg.slice(eq + 1).trim());
  }
  return params;
}

function coerce(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (DECIMAL.test(text)) return Number(text);
  return text;
}

/**
 * runBacktest feeds the rows to the detector in order, once each, so row i's verdict depends only
 * on rows ≤ i (the detector is causal and sees nothing ahead). Pass a fresh detector per run.
 */
export function runBacktest(rows: readonly SeriesRow[], detector: Detector, opts: BacktestOptions = {}): BacktestRow[] {
  const out: BacktestRow[] = [];
  let inIncident = false;
  for (const row of rows) {
    const learn = opts.learn === 'while-normal' ? !inIncident : true;
    const r = detector.observe(row.t, row.value, { learn });
    inIncident = r.isAnomaly;
    out.push({ ...row, anomaly_score: round6(clamp01(r.score)), is_anomaly: r.isAnomaly });
  }
  return out;
}

/** formatBacktestCsv writes `timestamp,value,anomaly_score,is_anomaly`, echoing timestamp and value as given. */
export function formatBacktestCsv(rows: readonly BacktestRow[]): string {
  const lines = ['timestamp,value,anomaly_score,is_anomaly'];
  for (const r of rows) lines.push(`${r.timestamp},${r.valueText},${r.anomaly_score},${r.is_anomaly}`);
  return `${lines.join('\n')}\n`;
}

/** BacktestCsvInput: everything `recsysops backtest` needs, already read from disk and argv. */
export interface BacktestCsvInput extends BacktestOptions {
  text: string;
  fileName: string;
  /** detector kind; DEFAULT_BACKTEST_DETECTOR when absent */
  detector?: string;
  /** `--param k=v` values as given; they override `params` */
  paramArgs?: readonly string[];
  /** params from a check file (`--check`) */
  params?: Record<string, unknown>;
  /** detector registry; the built-ins when absent */
  registry?: Registry<DetectorPlugin<any>>;
}

/**
 * backtestCsv is the whole of `recsysops backtest` minus the file I/O: parse the series and the
 * params, create the detector (params errors throw DetectorParamsError), run, format the CSV.
 */
export function backtestCsv(input: BacktestCsvInput): { rows: BacktestRow[]; csv: string; detector: { kind: string; params: Record<string, unknown> } } {
  const series = parseSeriesCsv(input.text, input.fileName);
  const params = { ...input.params, ...parseParamArgs(input.paramArgs ?? []) };
  const kind = input.detector ?? DEFAULT_BACKTEST_DETECTOR;
  const registry = input.registry ?? builtinDetectors();
  const detector = createDetector(kind, params, registry);
  // createDetector validated the params; parse again only to report them with their defaults
  const effective = registry.get(kind).params.parse(params) as Record<string, unknown>;
  const rows = runBacktest(series, detector, input);
  return { rows, csv: formatBacktestCsv(rows), detector: { kind, params: effective } };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
