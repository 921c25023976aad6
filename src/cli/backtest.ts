import { readFileSync, writeFileSync } from 'node:fs';
import { backtestCsv } from '../backtest/backtest';
import { DetectorParamsError } from '../detectors';
import { RecsysopsError, UnknownKindError, UsageError } from '../errors';

/** backtestCommand: one detector over a CSV series; detector or parameter mistakes are usage errors (2). */
export async function backtestCommand(file: string, opts: { detector?: string; param: string[]; output?: string }): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RecsysopsError('RSO_ERR_INPUT_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  let csv: string;
  let rows: number;
  let anomalies: number;
  try {
    const r = backtestCsv({ text, fileName: file, detector: opts.detector, paramArgs: opts.param });
    csv = r.csv;
    rows = r.rows.length;
    anomalies = r.rows.filter((row) => row.is_anomaly).length;
  } catch (err) {
    if (err instanceof DetectorParamsError || err instanceof UnknownKindError) throw new UsageError(err.message);
    throw err;
  }
  if (opts.output) {
    writeFileSync(opts.output, csv);
    process.stderr.write(`${rows} rows scored, ${anomalies} anomalous; wrote ${opts.output}\n`);
  } else {
    process.stdout.write(csv);
  }
}
