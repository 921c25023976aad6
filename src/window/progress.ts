import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * WindowProgress persists, per streaming check, the start of its oldest window not yet closed
 * ("closed up to"), in `<state>/window-progress.json`. With a replayable source (Kafka) the offsets
 * committed are the low-water mark of still-open windows, so a restart re-reads some events whose
 * windows an earlier run already closed and evaluated; this file lets the engine skip those instead
 * of counting them twice. It is written after the windows were evaluated and before offsets are
 * committed (see docs/kafka.md).
 */
export class WindowProgress {
  constructor(readonly path: string) {}

  load(): Record<string, number> {
    try {
      const raw = JSON.parse(readFileSync(this.path, 'utf8')) as { closed_before?: Record<string, unknown> };
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw.closed_before ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
      return out;
    } catch {
      return {};
    }
  }

  save(closedBefore: Record<string, number>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, closed_before: closedBefore }) + '\n');
    renameSync(tmp, this.path);
  }
}
