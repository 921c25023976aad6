import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { RawRecord, Source, SourceDeps, SourcePlugin } from './source';

const schema = z.strictObject({
  /** NDJSON files, read in order; relative to the config file */
  paths: z.array(z.string()).min(1),
  /** records handed to the pipeline at once */
  batch_size: z.number().int().positive().default(1000),
});
export type NdjsonFileConfig = z.infer<typeof schema>;

/**
 * NdjsonFileSource reads files of one JSON event per line (the same contract as a Kafka message)
 * and pushes them in batches, awaiting each push so a slow pipeline slows the reading.
 */
export class NdjsonFileSource implements Source {
  readonly kind = 'ndjson';
  constructor(
    readonly name: string,
    private readonly paths: string[],
    private readonly batchSize = 1000,
  ) {}

  async run(sink: { push(records: RawRecord[]): Promise<unknown> }, signal: AbortSignal): Promise<void> {
    for (const path of this.paths) {
      const stream = createReadStream(path, { encoding: 'utf8' });
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      let batch: RawRecord[] = [];
      let n = 0;
      try {
        for await (const line of lines) {
          n++;
          if (signal.aborted) return;
          if (!line.trim()) continue;
          batch.push({ payload: line, origin: `${path}:${n}` });
          if (batch.length >= this.batchSize) {
            await sink.push(batch);
            batch = [];
          }
        }
        if (batch.length) await sink.push(batch);
      } finally {
        lines.close();
        stream.destroy();
      }
    }
  }
}

export const ndjsonFileSource: SourcePlugin<NdjsonFileConfig> = {
  kind: 'ndjson',
  description: 'NDJSON files, one event per line (the Kafka message contract)',
  schema: schema as z.ZodType<NdjsonFileConfig>,
  create(name, config, deps: SourceDeps) {
    return new NdjsonFileSource(name, config.paths.map((p) => resolve(deps.baseDir, p)), config.batch_size);
  },
};
