import { readFileSync, readdirSync, renameSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AlertRecord } from '../alerting/alert';
import type { Logger } from '../telemetry/logger';

/** OutboxFile is the on-disk form of one notifier's pending batches, oldest first. */
export interface OutboxFile {
  version: 1;
  notifier: string;
  batches: AlertRecord[][];
}

/** outboxDir: `<stateDir>/outbox`, one JSON file per notifier. */
export function outboxDir(stateDir: string): string {
  return path.join(stateDir, 'outbox');
}

/** outboxFileName keeps a notifier name usable as a file name on every OS. */
export function outboxFileName(notifier: string): string {
  return `${notifier.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * Outbox persists one notifier's pending batches so alerts queued during a receiver outage survive
 * a restart. Each save writes a temporary file and renames it over the old one, so a crash leaves
 * either the old or the new queue, never half of one. Saves are serialised and coalesced: only the
 * latest snapshot is written.
 */
export class Outbox {
  readonly file: string;
  private next: AlertRecord[][] | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    stateDir: string,
    private readonly notifier: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(outboxDir(stateDir), outboxFileName(notifier));
  }

  /** load reads the batches a previous run left; a corrupt file is moved aside, never fatal. */
  load(): AlertRecord[][] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      this.logger.error('cannot read notifier outbox; starting with an empty queue', { notifier: this.notifier, file: this.file, error: e });
      return [];
    }
    try {
      const parsed = JSON.parse(text) as Partial<OutboxFile>;
      if (!Array.isArray(parsed.batches) || !parsed.batches.every(Array.isArray)) throw new Error('no "batches" array of arrays');
      return parsed.batches;
    } catch (e) {
      const aside = `${this.file}.corrupt`;
      this.logger.error('notifier outbox is corrupt; moved aside, starting with an empty queue', { notifier: this.notifier, file: aside, error: e });
      try {
        renameSync(this.file, aside);
      } catch {
        // leaving it in place only means the same message on the next start
      }
      return [];
    }
  }

  /** save schedules an atomic write of `batches` (the full pending queue). */
  save(batches: readonly AlertRecord[][]): void {
    this.next = batches.slice();
    this.writing ??= this.drain();
  }

  /** idle resolves once every scheduled save is on disk. */
  idle(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const batches = this.next;
      this.next = undefined;
      const body: OutboxFile = { version: 1, notifier: this.notifier, batches };
      const tmp = `${this.file}.tmp`;
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        await writeFile(tmp, JSON.stringify(body), 'utf8');
        await rename(tmp, this.file);
      } catch (e) {
        // The queue itself is still in memory; only a restart during this outage would lose it.
        this.logger.error('cannot persist notifier outbox', { notifier: this.notifier, file: this.file, error: e });
      }
    }
    this.writing = undefined;
  }
}

/**
 * orphanOutboxes lists outbox files of notifiers no longer configured that still hold alerts (they
 * will not be sent). Empty ones (another command's, e.g. replay's) are not worth a warning.
 */
export function orphanOutboxes(stateDir: string, notifiers: readonly string[]): string[] {
  const known = new Set(notifiers.map(outboxFileName));
  let files: string[];
  try {
    files = readdirSync(outboxDir(stateDir)).filter((f) => f.endsWith('.json') && !known.has(f));
  } catch {
    return [];
  }
  return files.filter((f) => {
    try {
      const batches = (JSON.parse(readFileSync(path.join(outboxDir(stateDir), f), 'utf8')) as Partial<OutboxFile>).batches;
      return !Array.isArray(batches) || batches.length > 0;
    } catch {
      return true;
    }
  });
}
