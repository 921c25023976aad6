import { z } from 'zod';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';
import { ShownItemsWindows, shownItemsFields, topItemsEvidence } from './shown-items';

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
    const shown = new ShownItemsWindows(def);
    return {
      mode: 'streaming',
      eventTypes: ['impression'],
      windowMs: def.window,
      add: (ws, e) => shown.add(ws, e),
      close(ws) {
        return shown.closed(ws).map(({ labels, items, impressions }) => {
          const top = items.top(def.list_items);
          const topShare = top.reduce((a, [, c]) => a + c, 0) / items.total;
          return {
            labels: { measure: 'distinct_items', ...labels },
            value: items.size,
            details: {
              impressions,
              sampled: items.total,
              distinct_items: items.size,
              capped: items.capped,
              top_items: top.map(([item_id, n]) => ({ item_id, share: n / items.total })),
              top_items_share: topShare,
            },
            evidence: topItemsEvidence(items, def.list_items),
          };
        });
      },
    };
  },
};
