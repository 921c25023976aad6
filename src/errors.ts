/**
 * RecsysopsError is the one base class of every error recsysops raises on purpose.
 * `code` is a stable RSO_ERR_* string (documented in docs/errors.md, never reused);
 * `retriable` tells retry() whether trying again can help.
 */
export class RecsysopsError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  constructor(code: string, message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = opts.retriable ?? false;
  }
}

/** ConfigError lists every problem found in configuration files, each with its file and path. */
export class ConfigError extends RecsysopsError {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super('RSO_ERR_CONFIG_INVALID', problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

export interface ConfigProblem {
  file: string;
  /** dotted path inside the file, e.g. `detector.params.threshold`; empty for the whole file */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}${p.path ? `: ${p.path}` : ''}: ${p.message}`;
}

/** UnknownKindError is thrown by a Registry lookup and lists the kinds that do exist. */
export class UnknownKindError extends RecsysopsError {
  constructor(what: string, kind: string, available: string[]) {
    super('RSO_ERR_UNKNOWN_KIND', `unknown ${what} "${kind}"; available: ${available.join(', ')}`);
  }
}

/** Reasons a notifier delivery failed; used as the `reason` label of recsysops_notifier_failures_total. */
export type NotifyFailureReason = 'client_error' | 'server_error' | 'timeout' | 'rate_limited' | 'connection' | 'auth' | 'other';

/** NotifyError carries the notifier name and the reason; client errors are not retriable. */
export class NotifyError extends RecsysopsError {
  readonly notifier: string;
  readonly reason: NotifyFailureReason;
  constructor(notifier: string, reason: NotifyFailureReason, message: string, opts: { retriable: boolean; cause?: unknown }) {
    super('RSO_ERR_NOTIFY_FAILED', `notifier ${notifier}: ${message}`, opts);
    this.notifier = notifier;
    this.reason = reason;
  }
}

/** ModelError: the model endpoint could not be reached or answered badly during diagnosis. */
export class ModelError extends RecsysopsError {
  constructor(message: string, opts: { retriable: boolean; cause?: unknown }) {
    super('RSO_ERR_MODEL_UNAVAILABLE', message, opts);
  }
}

/** IssueNotFoundError: no issue with that id (or id prefix) in the state directory. */
export class IssueNotFoundError extends RecsysopsError {
  constructor(id: string, stateDir: string) {
    super('RSO_ERR_ISSUE_NOT_FOUND', `no issue "${id}" in ${stateDir} (try: recsysops issues list --state ${stateDir})`);
  }
}

/** UsageError: bad command-line input; the CLI exits with code 2. */
export class UsageError extends RecsysopsError {
  constructor(message: string) {
    super('RSO_ERR_USAGE', message);
  }
}
