import { z } from 'zod';
import type { AlertRecord } from '../../alerting/alert';
import { NotifyError } from '../../errors';
import type { CheckInfo, Notifier, NotifierDeps, NotifierPlugin } from '../notifier';
import { envNameSchema, maskSecrets, readSecretEnv } from './secret-env';
import { classifyHttpStatus } from './webhook';
import { diagnoseCommand, evidenceLines, formatBand, formatValue, howComputed, hygieneNote, oneLine } from './format';

/**
 * alertmanager: pushes alert records to Prometheus Alertmanager's API v2 (`POST /api/v2/alerts`),
 * so a team routes, groups, silences and inhibits recsysops alerts with the Alertmanager it runs.
 * Labels are what Alertmanager groups and inhibits on: `alertname` is the check, plus `severity`,
 * the series labels, `check_kind` and `depends_on` (the check's declared upstreams, comma-separated);
 * `recsysops alertmanager-config` derives inhibit_rules from the same `depends_on`.
 */
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL of an Alertmanager' });

/** alertmanagerConfigSchema: one `kind: alertmanager` entry of recsysops.yaml. */
export const alertmanagerConfigSchema = z
  .strictObject({
    /** one Alertmanager; `urls` lists the members of an HA cluster (each gets every alert, as Prometheus does) */
    url: httpUrl.optional(),
    urls: z.array(httpUrl).min(1).optional(),
    timeout_ms: z.number().int().positive().default(10000),
    basic_auth: z.strictObject({ username: z.string().min(1), password_env: envNameSchema }).optional(),
    bearer_token_env: envNameSchema.optional(),
    /** base URL of the daemon as Alertmanager users reach it; generatorURL then points at the issue */
    external_url: httpUrl.optional(),
  })
  .refine((c) => (c.url === undefined) !== (c.urls === undefined), { message: 'give either url or urls (one of them)', path: ['url'] })
  .refine((c) => !(c.basic_auth && c.bearer_token_env), { message: 'give either basic_auth or bearer_token_env, not both', path: ['bearer_token_env'] });

export type AlertmanagerConfig = z.infer<typeof alertmanagerConfigSchema>;

/** AmAlert is one element of the API v2 `postableAlerts` body. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

/** labelName turns any key into a valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function labelName(k: string): string {
  const s = k.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}

/**
 * toAmAlert maps one alert record to an Alertmanager alert. Pure. Empty label values are left out
 * (Alertmanager treats an empty label as absent). The record's own labels never override
 * `alertname` or `severity`.
 */
export function toAmAlert(a: AlertRecord, check: CheckInfo | undefined, externalUrl?: string, now?: Date): AmAlert {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.labels)) if (v !== '') labels[labelName(k)] = v;
  labels.alertname = a.check;
  labels.severity = a.severity;
  if (check) {
    labels.check_kind = check.kind;
    if (check.depends_on.length) labels.depends_on = [...check.depends_on].sort().join(',');
  }
  const annotations: Record<string, string> = {
    summary: oneLine(a.summary, 500),
    description: `${a.check} observed ${formatValue(a.value)}, expected ${formatBand(a.expected)}. Run \`${diagnoseCommand(a)}\` to tell a data problem from a model problem.`,
    value: formatValue(a.value),
    expected: formatBand(a.expected),
    issue_id: a.issue_id,
    diagnose: diagnoseCommand(a),
  };
  if (a.runbook_url) annotations.runbook_url = a.runbook_url;
  if (a.dashboard_url) annotations.dashboard_url = a.dashboard_url;
  // How the band was computed and where to look, so an Alertmanager receiver explains the alert too.
  if (howComputed(a)) annotations.baseline = oneLine(howComputed(a), 1000);
  if (hygieneNote(a)) annotations.baseline_excludes = hygieneNote(a);
  if (a.explanation) annotations.explanation = oneLine(a.explanation.text, 2000);
  if (a.evidence?.length) annotations.evidence = evidenceLines(a).join('\n');
  // Alertmanager judges times by its wall clock; alert times are event times, which replayed or
  // accelerated (demo) data puts in the past or the future. A resolved alert must end no later
  // than now, or Alertmanager would keep it active until a future endsAt.
  const clamp = (iso: string): string => (now && Date.parse(iso) > now.getTime() ? now.toISOString() : iso);
  const out: AmAlert = { labels, annotations, startsAt: clamp(a.startsAt) };
  if (a.status === 'resolved') out.endsAt = clamp(a.endsAt ?? a.startsAt);
  const generator = externalUrl ? `${externalUrl.replace(/\/+$/, '')}/api/issues/${encodeURIComponent(a.issue_id)}` : a.dashboard_url;
  if (generator) out.generatorURL = generator;
  return out;
}

class AlertmanagerNotifier implements Notifier {
  readonly kind = 'alertmanager';
  private readonly headers: Record<string, string>;
  private readonly urls: string[];
  private readonly checks: Map<string, CheckInfo>;
  constructor(
    readonly name: string,
    private readonly config: AlertmanagerConfig,
    private readonly secret: string | undefined,
    private readonly deps: NotifierDeps,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.headers = { 'content-type': 'application/json', 'user-agent': 'recsysops' };
    if (config.basic_auth && secret !== undefined) {
      this.headers.authorization = `Basic ${Buffer.from(`${config.basic_auth.username}:${secret}`).toString('base64')}`;
    } else if (secret !== undefined) this.headers.authorization = `Bearer ${secret}`;
    this.urls = (config.urls ?? [config.url as string]).map((u) => `${u.replace(/\/+$/, '')}/api/v2/alerts`);
    this.checks = new Map((deps.checks ?? []).map((c) => [c.name, c]));
  }

  /** send POSTs the batch to every Alertmanager; delivered when at least one accepted it. */
  async send(alerts: AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const body = JSON.stringify(alerts.map((a) => toAmAlert(a, this.checks.get(a.check), this.config.external_url, this.now())));
    const results = await Promise.all(this.urls.map((u) => this.post(u, body).then(() => undefined, (e: NotifyError) => e)));
    const errors = results.filter((e): e is NotifyError => e !== undefined);
    if (errors.length < this.urls.length) {
      if (errors.length) this.deps.logger.warn('some Alertmanagers refused the alerts', { notifier: this.name, failed: errors.length, of: this.urls.length });
      this.deps.logger.debug('alertmanager delivered', { notifier: this.name, alerts: alerts.length });
      return;
    }
    // all failed: retry when any of them may recover
    throw errors.find((e) => e.retriable) ?? errors[0];
  }

  private async post(url: string, body: string): Promise<void> {
    let status: number;
    let text = '';
    try {
      const res = await fetch(url, { method: 'POST', headers: this.headers, body, signal: AbortSignal.timeout(this.config.timeout_ms) });
      status = res.status;
      if (res.ok) await res.body?.cancel();
      else text = await res.text();
    } catch (e) {
      const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new NotifyError(this.name, 'timeout', `no answer from ${this.where(url)} within ${this.config.timeout_ms}ms`, { retriable: true });
      }
      const detail = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
      throw new NotifyError(this.name, 'connection', this.mask(`could not reach Alertmanager ${this.where(url)}: ${detail}`), { retriable: true });
    }
    if (status >= 200 && status < 300) return;
    const { reason, retriable } = classifyHttpStatus(status);
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new NotifyError(this.name, reason, this.mask(`Alertmanager ${this.where(url)} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`), { retriable });
  }

  /** where: host and port only, never userinfo or query */
  private where(url: string): string {
    return new URL(url).host;
  }

  private mask(s: string): string {
    return maskSecrets(s, [this.secret, this.headers.authorization?.replace(/^\w+ /, '')]);
  }
}

/** alertmanagerNotifier: the `alertmanager` notifier kind. */
export const alertmanagerNotifier: NotifierPlugin<AlertmanagerConfig> = {
  kind: 'alertmanager',
  description: 'Prometheus Alertmanager API v2 (POST /api/v2/alerts), labelled for grouping and inhibition',
  schema: alertmanagerConfigSchema,
  create(name, config, deps) {
    const secret = config.basic_auth
      ? readSecretEnv(deps.env, config.basic_auth.password_env, name, 'basic_auth.password_env')
      : config.bearer_token_env === undefined
        ? undefined
        : readSecretEnv(deps.env, config.bearer_token_env, name, 'bearer_token_env');
    return new AlertmanagerNotifier(name, config, secret, deps);
  },
};
