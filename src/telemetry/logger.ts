/**
 * Logger writes one line per record to stderr: human-readable in a terminal, JSON when asked
 * (`RECSYSOPS_LOG_FORMAT=json`). Injected, never a module-level singleton. Values of keys that look
 * like secrets are masked, and so is any registered secret value wherever it appears.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key|authorization|sasl/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** addSecrets registers more values to mask (e.g. those a config names by `*_env`), for this logger and its children */
  addSecrets(values: string[]): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'text' | 'json';
  write?: (line: string) => void;
  /** secret values (from the environment) that must never be printed */
  secrets?: string[];
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  return makeLogger(opts, base, (opts.secrets ?? []).filter((s) => s.length >= 4));
}

// Children share the parent's `secrets` array, so a secret registered later is masked everywhere.
function makeLogger(opts: LoggerOptions, base: Record<string, unknown>, secrets: string[]): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const format = opts.format ?? 'text';
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const mask = (s: string) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), s);

  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    const all = redact({ ...base, ...fields });
    const ts = new Date().toISOString();
    const line =
      format === 'json'
        ? JSON.stringify({ ts, level, msg, ...all })
        : `${ts} ${level.toUpperCase().padEnd(5)} ${msg}${Object.entries(all)
            .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join('')}`;
    write(mask(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => makeLogger(opts, { ...base, ...fields }, secrets),
    addSecrets: (values) => {
      for (const v of values) if (v.length >= 4 && !secrets.includes(v)) secrets.push(v);
    },
  };
}

/** redact masks values whose keys look like secrets, recursively. */
export function redact(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '') out[k] = '***';
    else if (v instanceof Error) out[k] = v.message;
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redact(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = createLogger({ write: () => {} });
