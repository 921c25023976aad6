import { Registry } from '../registry';
import type { NotifierPlugin } from './notifier';
import { alertmanagerNotifier } from './integrations/alertmanager';
import { consoleNotifier, type ConsoleStream } from './integrations/console';
import { emailNotifier } from './integrations/email';
import { fileNotifier } from './integrations/file';
import { webhookNotifier } from './integrations/webhook';

/**
 * builtinNotifiers lists every notifier kind recsysops ships, explicitly, so the set does not
 * depend on which modules happen to be imported. `consoleStream` redirects the console notifier
 * (the CLI passes stderr when stdout carries machine-readable output).
 */
export function builtinNotifiers(opts: { consoleStream?: ConsoleStream } = {}): Registry<NotifierPlugin<any>> {
  return new Registry<NotifierPlugin<any>>('notifier', [
    alertmanagerNotifier,
    consoleNotifier({ stream: opts.consoleStream }),
    emailNotifier,
    fileNotifier,
    webhookNotifier,
  ]);
}
