import { z } from 'zod';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';
import { shownItemsCheck, shownItemsFields } from './shown-items';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('catalog-coverage'),
  ...shownItemsFields(1_000),
});
export type CatalogCoverageDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * catalog-coverage: how many distinct items were shown per window — among a uniform sample of
 * sample_size impressions by default, so a quiet night does not look like a collapse; with
 * sample_size 0 among every impression (exact up to max_items). A model or cache that collapses
 * onto a few items shows less of the catalogue; the evidence names the items that took the impressions.
 */
export const catalogCoverageKind: CheckKind<CatalogCoverageDefinition> = {
  kind: 'catalog-coverage',
  description: 'distinct items shown per window, optionally per surface or model version',
  mode: 'streaming',
  schema: schema as z.ZodType<CatalogCoverageDefinition>,
  create(def) {
    return shownItemsCheck(def, 'distinct_items', (items) => items.size);
  },
};
