import { createLogger, type LogLevel, type Logger } from '../telemetry/logger';
import { ConfigError, RecsysopsError, UsageError } from '../errors';

/** Exit codes of every command: 0 ok, 1 findings (invalid config, a failed diagnosis), 2 usage error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Environment variables whose values are secrets and must never be printed. */
const SECRET_ENV = /PASS|SECRET|TOKEN|KEY|SASL/i;

/** cliLogger logs to stderr; the values of secret-looking environment variables are masked. */
export function cliLogger(env: Record<string, string | undefined>, opts: { verbose?: boolean; quiet?: boolean } = {}): Logger {
  const level: LogLevel = opts.verbose ? 'debug' : opts.quiet ? 'warn' : ((env.RECSYSOPS_LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const secrets = Object.entries(env)
    .filter(([k, v]) => SECRET_ENV.test(k) && v)
    .map(([, v]) => v as string);
  return createLogger({ level, format: env.RECSYSOPS_LOG_FORMAT === 'json' ? 'json' : 'text', secrets });
}

/**
 * reportError prints an error the way a user can act on it (no stack trace for known errors) and
 * returns the exit code.
 */
export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof ConfigError) {
    write(`recsysops: invalid configuration (${err.problems.length} problem${err.problems.length > 1 ? 's' : ''}):\n`);
    for (const line of err.message.split('\n')) write(`  ${line}\n`);
    return EXIT.findings;
  }
  if (err instanceof UsageError) {
    write(`recsysops: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof RecsysopsError) {
    write(`recsysops: ${err.message} [${err.code}]\n`);
    return EXIT.findings;
  }
  write(`recsysops: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.findings;
}
