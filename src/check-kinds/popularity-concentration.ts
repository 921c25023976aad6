import { z } from 'zod';
import { gini } from './gini';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';
import { shownItemsCheck, shownItemsFields } from './shown-items';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('popularity-concentration'),
  ...shownItemsFields(0),
});
export type PopularityConcentrationDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * popularity-concentration: the Gini coefficient of impressions over the items shown in a window
 * (0: every item shown equally often; towards 1: a few items take everything). A stale cache or a
 * model stuck on popularity concentrates exposure; the evidence names the top items and their share.
 */
export const popularityConcentrationKind: CheckKind<PopularityConcentrationDefinition> = {
  kind: 'popularity-concentration',
  description: 'Gini coefficient of impressions over items per window, optionally per surface or model version',
  mode: 'streaming',
  schema: schema as z.ZodType<PopularityConcentrationDefinition>,
  create(def) {
    return shownItemsCheck(def, 'gini', (items) => gini(items.values()), (items) => ({ effective_items: effectiveItems(items.values()) }));
  },
};

/**
 * effectiveItems: 1 / Σpᵢ², the number of equally shown items with the same concentration, from
 * the unbiased estimate Σ nᵢ(nᵢ−1) / (N(N−1)) of Σpᵢ² (so it does not move with traffic, as Gini does a little).
 */
export function effectiveItems(counts: readonly number[]): number {
  let n = 0;
  let pairs = 0;
  for (const c of counts) {
    n += c;
    pairs += c * (c - 1);
  }
  return pairs > 0 ? (n * (n - 1)) / pairs : NaN;
}
