import { z } from 'zod';
import type { AlertRecord } from '../../alerting/alert';
import { NotifyError } from '../../errors';
import type { Notifier, NotifierPlugin } from '../notifier';
import { diagnoseCommand, evidenceLines, formatBand, formatLabels, formatValue, howComputed, hygieneNote, oneLine } from './format';

/** consoleConfigSchema: `color: auto` colours only a terminal (and honours NO_COLOR). */
export const consoleConfigSchema = z.strictObject({
  color: z.enum(['auto', 'always', 'never']).default('auto'),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** ConsoleStream: what the console notifier writes to; process.stdout in the daemon. */
export type ConsoleStream = Pick<NodeJS.WritableStream, 'write'> & { isTTY?: boolean };

const ANSI = { red: '\x1b[1;31m', green: '\x1b[1;32m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };

/**
 * formatConsoleLine renders one alert as one terminal line, e.g.
 * `🔥 FIRING critical volume-impressions{surface=home} value=120 expected 800–1300 · issue 7f3a9c21 · recsysops diagnose 7f3a9c21`,
 * ending with the command to run next so the user can copy it straight from `recsysops start`.
 */
export function formatConsoleLine(a: AlertRecord, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `${code}${s}${ANSI.reset}` : s);
  const head = a.status === 'firing' ? `🔥 ${paint(ANSI.red, 'FIRING')}` : `✅ ${paint(ANSI.green, 'RESOLVED')}`;
  const series = oneLine(`${a.check}${formatLabels(a.labels)}`, 300);
  const line =
    `${head} ${a.severity} ${paint(ANSI.bold, series)} value=${formatValue(a.value)} expected ${formatBand(a.expected)}` +
    ` · issue ${a.issue_id} · ${paint(ANSI.dim, diagnoseCommand(a))}`;
  // A firing alert explains itself on indented lines below: how the band was computed, where to look.
  if (a.status !== 'firing' || (!a.explanation && !a.evidence?.length)) return line;
  const more: string[] = [];
  if (howComputed(a)) more.push(`band: ${oneLine(howComputed(a), 400)}`);
  if (hygieneNote(a)) more.push(hygieneNote(a));
  const top = evidenceLines(a);
  if (top.length) more.push(`top: ${oneLine(top.join('; '), 400)}`);
  if (a.dashboard_url) more.push(`dashboard: ${a.dashboard_url}`);
  return [line, ...more.map((m) => `    ${paint(ANSI.dim, m)}`)].join('\n');
}

/** ConsoleNotifier prints one line per alert; the stream is injected so tests read what a user would see. */
class ConsoleNotifier implements Notifier {
  readonly kind = 'console';
  constructor(
    readonly name: string,
    private readonly stream: ConsoleStream,
    private readonly color: boolean,
  ) {}

  async send(alerts: AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const text = alerts.map((a) => `${formatConsoleLine(a, this.color)}\n`).join('');
    await new Promise<void>((resolve, reject) => {
      this.stream.write(text, (err?: Error | null) =>
        err ? reject(new NotifyError(this.name, 'other', `cannot write to the console: ${err.message}`, { retriable: false, cause: err })) : resolve(),
      );
    });
  }
}

/**
 * consoleNotifier: the `console` notifier kind, writing to `stream` (process.stdout unless a test
 * or the CLI passes another).
 */
export function consoleNotifier(opts: { stream?: ConsoleStream } = {}): NotifierPlugin<ConsoleConfig> {
  return {
    kind: 'console',
    description: 'one readable line per alert on standard output (coloured in a terminal)',
    schema: consoleConfigSchema,
    create(name, config, deps) {
      const stream = opts.stream ?? process.stdout;
      const color = config.color === 'always' || (config.color === 'auto' && stream.isTTY === true && !deps.env.NO_COLOR);
      return new ConsoleNotifier(name, stream, color);
    },
  };
}
