import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AlertRecord } from '../../alerting/alert';
import { NotifyError } from '../../errors';
import type { Notifier, NotifierPlugin } from '../notifier';

/** fileConfigSchema: one `kind: file` entry; a relative `path` lives in the state directory. */
export const fileConfigSchema = z.strictObject({
  path: z.string().min(1).default('alerts.ndjson'),
});

export type FileConfig = z.infer<typeof fileConfigSchema>;

/** Errors that clear up by themselves (a full disk gets cleaned); the rest need the operator. */
const TRANSIENT_FS = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EIO', 'EDQUOT']);

/**
 * FileNotifier appends each alert record as one JSON object per line, exactly the record and
 * nothing added, so `jq`, `recsysops replay --json` output and this file can be read the same way.
 * A batch is written with one append so concurrent readers never see half a batch.
 */
class FileNotifier implements Notifier {
  readonly kind = 'file';
  constructor(
    readonly name: string,
    readonly file: string,
  ) {}

  async send(alerts: AlertRecord[]): Promise<void> {
    if (alerts.length === 0) return;
    const lines = alerts.map((a) => `${JSON.stringify(a)}\n`).join('');
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await appendFile(this.file, lines, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      const retriable = TRANSIENT_FS.has(code);
      throw new NotifyError(this.name, retriable ? 'other' : 'client_error', `cannot append to ${this.file}: ${(e as Error).message}`, {
        retriable,
        cause: e,
      });
    }
  }
}

/** fileNotifier: the `file` notifier kind. */
export const fileNotifier: NotifierPlugin<FileConfig> = {
  kind: 'file',
  description: 'appends each alert record as one JSON line to a file (default alerts.ndjson in the state directory)',
  schema: fileConfigSchema,
  create(name, config, deps) {
    return new FileNotifier(name, path.resolve(deps.stateDir, config.path));
  },
};
