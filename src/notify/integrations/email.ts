import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { AlertRecord } from '../../alerting/alert';
import { NotifyError, type NotifyFailureReason } from '../../errors';
import type { Notifier, NotifierDeps, NotifierPlugin } from '../notifier';
import { renderEmail } from './email-render';
import { envNameSchema, maskSecrets, readSecretEnv } from './secret-env';

/** emailConfigSchema: one `kind: email` entry of recsysops.yaml (the password comes from `password_env`). */
export const emailConfigSchema = z
  .strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); false means plain, upgraded by STARTTLS when offered */
    secure: z.boolean().default(false),
    /** refuse to send unless the server upgrades the connection with STARTTLS */
    require_tls: z.boolean().default(false),
    from: z.string().min(1),
    to: z.array(z.string().min(1)).min(1),
    username: z.string().min(1).optional(),
    password_env: envNameSchema.optional(),
    timeout_ms: z.number().int().positive().default(10_000),
    subject_prefix: z.string().optional(),
  })
  .refine((c) => (c.username === undefined) === (c.password_env === undefined), {
    message: 'username and password_env go together: give both to log in, or neither',
    path: ['password_env'],
  });

export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** SmtpErrorLike: the fields of a nodemailer error that decide what went wrong. */
interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  message?: string;
}

/**
 * classifySmtpError maps a nodemailer error to a failure reason. Connection trouble and 4xx
 * replies are transient (retry until the server is back); a rejected login or a 5xx reply will be
 * rejected again, so retrying only delays the error the operator has to fix. 503 (bad sequence of
 * commands) is a session hiccup, not a verdict on the message, so it is retried (RFC 5321).
 */
export function classifySmtpError(err: SmtpErrorLike): { reason: NotifyFailureReason; retriable: boolean } {
  const code = err.code ?? '';
  if (code === 'EAUTH' || code === 'ENOAUTH') return { reason: 'auth', retriable: false };
  const rc = err.responseCode;
  if (typeof rc === 'number' && rc >= 500 && rc !== 503) return { reason: 'client_error', retriable: false };
  if (typeof rc === 'number' && rc >= 400) return { reason: 'server_error', retriable: true };
  if (code === 'ETIMEDOUT') return { reason: 'timeout', retriable: true };
  if (['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EPROXY'].includes(code)) {
    return { reason: 'connection', retriable: true };
  }
  if (['EENVELOPE', 'EREQUIRETLS', 'ECONFIG', 'EMESSAGE', 'ESTREAM'].includes(code)) return { reason: 'client_error', retriable: false };
  return { reason: 'other', retriable: true };
}

/**
 * EmailNotifier sends one email per batch over SMTP. The transporter opens a connection per
 * message (no pool), so an SMTP server that went away is reconnected on the next attempt.
 */
class EmailNotifier implements Notifier {
  readonly kind = 'email';
  private readonly transport: Transporter;
  constructor(
    readonly name: string,
    private readonly config: EmailConfig,
    private readonly password: string | undefined,
    private readonly deps: NotifierDeps,
  ) {
    this.transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.require_tls,
      auth: config.username !== undefined ? { user: config.username, pass: password } : undefined,
      connectionTimeout: config.timeout_ms,
      greetingTimeout: config.timeout_ms,
      socketTimeout: config.timeout_ms,
      dnsTimeout: config.timeout_ms,
      logger: false,
    });
  }

  async send(alerts: AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const mail = renderEmail(alerts, { subjectPrefix: this.config.subject_prefix });
    try {
      const info = await this.transport.sendMail({ from: this.config.from, to: [...this.config.to], ...mail });
      this.deps.logger.debug('email sent', { notifier: this.name, alerts: alerts.length, message_id: info.messageId });
    } catch (e) {
      throw this.toNotifyError(e);
    }
  }

  private toNotifyError(e: unknown): NotifyError {
    const err = (e ?? {}) as SmtpErrorLike;
    const { reason, retriable } = classifySmtpError(err);
    const where = `${this.config.host}:${this.config.port}`;
    const detail = [err.code, err.responseCode].filter((x) => x !== undefined).join(' ');
    // The nodemailer error is not kept as `cause`: its response text is the server's and may echo
    // what the client sent. The message keeps what an operator needs: server, code, reply.
    const message = maskSecrets(`SMTP ${where}${detail ? ` (${detail})` : ''}: ${err.message ?? String(e)}`, [this.password]);
    return new NotifyError(this.name, reason, message, { retriable });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** emailNotifier: the `email` notifier kind. */
export const emailNotifier: NotifierPlugin<EmailConfig> = {
  kind: 'email',
  description: 'one email per batch of alerts over SMTP (nodemailer); password read from the variable named by password_env',
  schema: emailConfigSchema,
  create(name, config, deps) {
    const password = config.password_env === undefined ? undefined : readSecretEnv(deps.env, config.password_env, name, 'password_env');
    return new EmailNotifier(name, config, password, deps);
  },
};
