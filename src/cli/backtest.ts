import { readFileSync, writeFileSync } from 'node:fs';
import { backtestCsv } from '../backtest/backtest';
import { detectorOfCheck } from '../backtest/check-detector';
import { DetectorParamsError } from '../detectors';
import { RecsysopsError, UnknownKindError, UsageError } from '../errors';

/** backtestCommand: one detector over a CSV series; detector or parameter mistakes are usage errors (2). */
export async function backtestCommand(file: string, opts: { detector?: string; param: string[]; output?: string; check?: string }): Promise<void> {
  if (opts.check && opts.detector) throw new UsageError('give either --check (the detector of a check file) or --detector, not both');
  const fromCheck = opts.check ? detectorOfCheck(opts.check) : undefined;
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
    const r = backtestCsv({ text, fileName: file, detector: fromCheck?.kind ?? opts.detector, params: fromCheck?.params, paramArgs: opts.param });
    // Say which detector judged the series, with every parameter after defaults, so a result is reproducible.
    const source = fromCheck ? ` (from check ${fromCheck.check} in ${opts.check})` : opts.detector ? '' : ' (default: the detector of checks without a detector:)';
    process.stderr.write(`detector ${r.detector.kind} ${JSON.stringify(r.detector.params)}${source}\n`);
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
