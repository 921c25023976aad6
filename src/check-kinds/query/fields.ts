import { z } from 'zod';
import { durationSchema } from '../../config/duration';
import { envNameSchema } from '../../notify/integrations/secret-env';
import { SERIES_LABELS, commonCheckFields, scheduledFields, type CheckDefinition, type SeriesLabel } from '../kind';
import { compareVersionsSchema, type CompareVersions } from './compare-versions';

export { envNameSchema };

/**
 * Fields of every scheduled query kind. The detector defaults to a seasonal baseline: warehouse
 * row counts, feature exports and upstream metrics follow the daily rhythm of the product.
 */
export const queryFields = {
  ...scheduledFields,
  detector: commonCheckFields.detector.unwrap().default({ kind: 'seasonal-zscore', params: {} }),
  /** the longest a query may take (connect + run + read), then it counts as failed (reason timeout) */
  timeout: durationSchema.default(30_000),
  compare_versions: compareVersionsSchema.optional(),
};

export interface QueryCheckDefinition extends CheckDefinition {
  schedule: string;
  timeout: number;
  compare_versions?: CompareVersions;
}

/**
 * series_labels: which result fields become series labels. A list names fields that are called
 * like the label (`[surface, model_version]`); a mapping renames (`{model_version: version_id}`).
 */
export const seriesLabelsSchema = z
  .union([z.array(z.enum(SERIES_LABELS)), z.partialRecord(z.enum(SERIES_LABELS), z.string().min(1))], {
    error: `expected a list of series labels (${SERIES_LABELS.join(', ')}) or a mapping from series label to field name`,
  })
  .default([]);

/** labelSources normalises series_labels to [series label, field] pairs. */
export function labelSources(mapping: z.output<typeof seriesLabelsSchema>): Array<[SeriesLabel, string]> {
  if (Array.isArray(mapping)) return mapping.map((l) => [l, l]);
  return Object.entries(mapping).filter((e): e is [SeriesLabel, string] => typeof e[1] === 'string');
}

/** compare_versions needs model_version among the labels a row carries. */
export function needsModelVersion(def: { compare_versions?: unknown; series_labels: z.output<typeof seriesLabelsSchema> }): boolean {
  return def.compare_versions === undefined || labelSources(def.series_labels).some(([l]) => l === 'model_version');
}
export const needsModelVersionIssue = {
  message: 'compare_versions needs model_version in series_labels (the field that names each row\'s model version)',
  path: ['series_labels'],
};

/** HTTP fields shared by http-json and promql; secrets come only from the environment. */
export const httpFields = {
  /** headers sent as they are (nothing secret: those go in header_env) */
  headers: z
    .record(z.string(), z.string())
    .refine((h) => !Object.keys(h).some((k) => k.toLowerCase() === 'authorization'), {
      message: 'an Authorization header is a secret: use bearer_token_env, or header_env: {Authorization: VAR}',
    })
    .default({}),
  /** headers whose values are read from environment variables, e.g. {X-Api-Key: TRAINER_API_KEY} */
  header_env: z.record(z.string(), envNameSchema).default({}),
  /** the environment variable holding a bearer token (sent as Authorization: Bearer …) */
  bearer_token_env: envNameSchema.optional(),
};
