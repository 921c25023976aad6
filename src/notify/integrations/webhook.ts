import { z } from 'zod';
import type { AlertRecord } from '../../alerting/alert';
import { NotifyError, type NotifyFailureReason } from '../../errors';
import type { Notifier, NotifierDeps, NotifierPlugin } from '../notifier';
import { envNameSchema, maskSecrets, readSecretEnv } from './secret-env';

/** webhookConfigSchema: one `kind: webhook` entry of recsysops.yaml (the token comes from `bearer_token_env`). */
export const webhookConfigSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    headers: z.record(z.string(), z.string()).optional(),
    bearer_token_env: envNameSchema.optional(),
    timeout_ms: z.number().int().positive().default(5000),
  })
  .refine((c) => !(c.bearer_token_env && Object.keys(c.headers ?? {}).some((h) => h.toLowerCase() === 'authorization')), {
    message: 'give either bearer_token_env or an Authorization header, not both',
    path: ['bearer_token_env'],
  });

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** WebhookPayload is the JSON body: a version for receivers to switch on, and the alert records as they are. */
export interface WebhookPayload {
  version: '1';
  status: 'firing' | 'resolved';
  alerts: AlertRecord[];
}

/** classifyHttpStatus: 429 and 5xx come back on their own, other 4xx mean the request itself is wrong. */
export function classifyHttpStatus(status: number): { reason: NotifyFailureReason; retriable: boolean } {
  if (status === 429) return { reason: 'rate_limited', retriable: true };
  if (status >= 500) return { reason: 'server_error', retriable: true };
  return { reason: 'client_error', retriable: false };
}

/**
 * WebhookNotifier POSTs each batch as JSON. Error messages name the notifier but never the URL,
 * since chat webhook URLs are themselves credentials.
 */
class WebhookNotifier implements Notifier {
  readonly kind = 'webhook';
  private readonly headers: Record<string, string>;
  constructor(
    readonly name: string,
    private readonly config: WebhookConfig,
    private readonly token: string | undefined,
    private readonly deps: NotifierDeps,
  ) {
    this.headers = { 'content-type': 'application/json', 'user-agent': 'recsysops', ...config.headers };
    if (token !== undefined) this.headers.authorization = `Bearer ${token}`;
  }

  async send(alerts: AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const payload: WebhookPayload = { version: '1', status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved', alerts };
    const signal = AbortSignal.timeout(this.config.timeout_ms);
    let status: number;
    let body = '';
    try {
      const res = await fetch(this.config.url, { method: 'POST', headers: this.headers, body: JSON.stringify(payload), signal });
      status = res.status;
      if (res.ok) await res.body?.cancel();
      else body = await res.text();
    } catch (e) {
      throw this.networkError(e);
    }
    if (status >= 200 && status < 300) {
      this.deps.logger.debug('webhook delivered', { notifier: this.name, alerts: alerts.length, status });
      return;
    }
    const { reason, retriable } = classifyHttpStatus(status);
    const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new NotifyError(this.name, reason, this.mask(`HTTP ${status}${snippet ? `: ${snippet}` : ''}`), { retriable });
  }

  private networkError(e: unknown): NotifyError {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.cause?.code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new NotifyError(this.name, 'timeout', `no answer within ${this.config.timeout_ms}ms`, { retriable: true });
    }
    const detail = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
    return new NotifyError(this.name, 'connection', this.mask(`could not reach the webhook: ${detail}`), { retriable: true });
  }

  private mask(s: string): string {
    return maskSecrets(s, [this.token]);
  }
}

/** webhookNotifier: the `webhook` notifier kind. */
export const webhookNotifier: NotifierPlugin<WebhookConfig> = {
  kind: 'webhook',
  description: 'JSON POST of {"version":"1","status","alerts":[alert records]} to an HTTP(S) endpoint',
  schema: webhookConfigSchema,
  create(name, config, deps) {
    const token = config.bearer_token_env === undefined ? undefined : readSecretEnv(deps.env, config.bearer_token_env, name, 'bearer_token_env');
    return new WebhookNotifier(name, config, token, deps);
  },
};
