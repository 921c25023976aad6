import { z } from 'zod';
import { basename } from 'node:path';
import { commonCheckFields, type CheckKind } from '../kind';
import { QueryError, describeError } from './failure';
import { queryFields, type QueryCheckDefinition } from './fields';
import { globFiles, type MatchedFile } from './glob';
import { scheduledQueryCheck } from './scheduled-query';
import type { QueryRow } from './row';

export const FILE_MEASURES = ['count', 'bytes', 'newest_age'] as const;
export type FileMeasure = (typeof FILE_MEASURES)[number];

const measureSchema = z.enum(FILE_MEASURES, { error: `expected one of ${FILE_MEASURES.join(', ')}` });

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...queryFields,
    kind: z.literal('files'),
    /** a glob, e.g. /data/feature-store/exports/**\/*.parquet; relative to the daemon's working directory */
    path: z.string().min(1),
    /** count: matching files; bytes: their total size; newest_age: seconds since the newest one was modified. A list gives one series per measure. */
    measure: z.union([measureSchema, z.array(measureSchema).min(1)], { error: `expected one of ${FILE_MEASURES.join(', ')}, or a list of them` }).default('count'),
  })
  .refine((d) => d.compare_versions === undefined, { message: 'compare_versions needs model versions, which files do not have', path: ['compare_versions'] });
export type FilesDefinition = z.infer<typeof schema> & QueryCheckDefinition;

/**
 * fileRows measures the matched files: one row per measure, labelled measure=<name>. With no file,
 * count and bytes are a real 0 while newest_age has no value (there is no newest file).
 */
export function fileRows(files: MatchedFile[], measures: FileMeasure[], now: number): { rows: QueryRow[]; notes: string[] } {
  const newest = files.reduce<MatchedFile | undefined>((n, f) => (n === undefined || f.mtimeMs > n.mtimeMs ? f : n), undefined);
  const bytes = files.reduce((s, f) => s + f.size, 0);
  const details = {
    files: files.length,
    bytes,
    newest_file: newest?.path ?? null,
    newest_modified: newest ? new Date(newest.mtimeMs).toISOString() : null,
  };
  const evidence = newest ? [{ name: `file=${basename(newest.path)}`, value: newest.size, note: `newest, modified ${details.newest_modified}` }] : undefined;
  const rows = measures.map((measure) => ({
    labels: { measure },
    value: measure === 'count' ? files.length : measure === 'bytes' ? bytes : newest ? Math.max(0, (now - newest.mtimeMs) / 1000) : null,
    origin: `measure ${measure}`,
    details,
    ...(evidence ? { evidence } : {}),
  }));
  return { rows, notes: files.length ? [] : ['no file matches the pattern'] };
}

/**
 * files: files matching a glob (a feature store's exports, a model registry's artifacts), measured
 * on a cron schedule: how many, how large, how long since the newest was written.
 */
export const filesKind: CheckKind<FilesDefinition> = {
  kind: 'files',
  description: 'files matching a glob on a cron schedule: count, total bytes or seconds since the newest was modified',
  mode: 'scheduled',
  schema: schema as unknown as z.ZodType<FilesDefinition>,
  create(def, deps) {
    const measures = Array.isArray(def.measure) ? [...new Set(def.measure)] : [def.measure];
    return scheduledQueryCheck(def, deps, {
      async run(now) {
        let files: MatchedFile[];
        try {
          files = await withTimeout(globFiles(def.path), def.timeout, def.path);
        } catch (err) {
          if (err instanceof QueryError) throw err;
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') throw new QueryError('path_not_found', `${def.path}: the directory ${(err as NodeJS.ErrnoException).path ?? ''} does not exist`);
          throw new QueryError('io', `${def.path}: ${describeError(err)}`);
        }
        return fileRows(files, measures, now);
      },
    });
  },
};

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QueryError('timeout', `${what}: listing the files took longer than ${ms / 1000}s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
