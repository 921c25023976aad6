import { RecsysopsError } from '../errors';

/** SeriesRow is one data line of a `timestamp,value` CSV, with the texts kept to echo them back. */
export interface SeriesRow {
  /** 1-based line number in the file, for error messages */
  line: number;
  /** the timestamp exactly as written, echoed in the backtest output */
  timestamp: string;
  /** the timestamp in epoch milliseconds */
  t: number;
  /** the value text exactly as written, echoed in the backtest output */
  valueText: string;
  value: number;
}

/** SeriesCsvError (`RSO_ERR_SERIES_INVALID`) names the file and line, e.g. `series.csv:17: …`. */
export class SeriesCsvError extends RecsysopsError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string) {
    super('RSO_ERR_SERIES_INVALID', `${file}${line === undefined ? '' : `:${line}`}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

const EPOCH_SECONDS = /^\d{10}(?:\.\d+)?$/;
const EPOCH_MILLIS = /^\d+$/;
/** DECIMAL: a plain decimal number (no hex, no `Infinity`), as a CSV value or a `--param` value. */
export const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * parseTimestamp reads an ISO-8601 time, epoch milliseconds or epoch seconds (exactly 10 integer
 * digits: 2001–2286 in seconds, which as milliseconds would be January 1970). An ISO time without
 * an offset is read as UTC so a backtest gives the same answer on every machine. undefined if neither.
 */
export function parseTimestamp(text: string): number | undefined {
  if (EPOCH_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (EPOCH_MILLIS.test(text)) return Number(text);
  const iso = ISO_8601.exec(text);
  if (!iso) return undefined;
  const hasTime = text.length > 10;
  const t = Date.parse(hasTime && !iso[1] ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * parseSeriesCsv reads a `timestamp,value` CSV (header optional, blank lines and `#` comments
 * skipped, CRLF accepted). The first line counts as a header when neither cell parses. Timestamps
 * must not go backwards: detectors are causal, and an unsorted file would be judged in a wrong order.
 */
export function parseSeriesCsv(text: string, fileName: string): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const lines = text.split(/\r?\n/);
  let sawFirst = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fail = (message: string) => new SeriesCsvError(fileName, lineNo, message);
    const cells = raw.split(',').map(unquote);
    const first = !sawFirst;
    sawFirst = true;
    if (cells.length !== 2) {
      if (first && cells.length > 0 && parseTimestamp(cells[0]) === undefined) {
        throw fail(`expected the header "timestamp,value", got "${raw}"`);
      }
      throw fail(`expected 2 columns (timestamp,value), got ${cells.length}`);
    }
    const [timestamp, valueText] = cells;
    const t = parseTimestamp(timestamp);
    const value = DECIMAL.test(valueText) ? Number(valueText) : NaN;
    if (first && t === undefined && !Number.isFinite(value)) continue; // header
    if (t === undefined) {
      throw fail(`timestamp "${timestamp}" is not ISO-8601, epoch milliseconds or epoch seconds`);
    }
    if (!Number.isFinite(value)) throw fail(`value "${valueText}" is not a number`);
    const prev = rows[rows.length - 1];
    if (prev && t < prev.t) {
      throw fail(`timestamp "${timestamp}" is earlier than "${prev.timestamp}" on line ${prev.line}; sort the file by time`);
    }
    rows.push({ line: lineNo, timestamp, t, valueText, value });
  }
  if (rows.length === 0) throw new SeriesCsvError(fileName, undefined, 'no data rows (expected lines of timestamp,value)');
  return rows;
}

function unquote(cell: string): string {
  const s = cell.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).trim() : s;
}
