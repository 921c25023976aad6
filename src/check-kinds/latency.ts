import { z } from 'zod';
import { quantileSorted } from 'simple-statistics';
import { commonCheckFields, streamingFields, type CheckDefinition, type CheckKind } from './kind';
import { WindowedState } from './windowed';
import { Reservoir } from '../util/reservoir';

const schema = z.strictObject({
  ...commonCheckFields,
  ...streamingFields,
  kind: z.literal('latency'),
  /** the quantile of serving latency_ms to watch, e.g. 0.99 */
  quantile: z.number().gt(0).lt(1).default(0.99),
  /** latencies kept per window (a uniform sample beyond it), bounding memory */
  sample_size: z.number().int().positive().default(10_000),
  min_requests: z.number().int().nonnegative().default(20),
});
export type LatencyDefinition = z.infer<typeof schema> & CheckDefinition;

/** latency watches a quantile of the model's serving latency (from `serving` events), in milliseconds. */
export const latencyKind: CheckKind<LatencyDefinition> = {
  kind: 'latency',
  description: 'a quantile of serving latency_ms per window',
  mode: 'streaming',
  schema: schema as z.ZodType<LatencyDefinition>,
  create(def) {
    // A reservoir per window: the quantile of a bounded uniform sample of the latencies.
    const windows = new WindowedState(() => new Reservoir<number>(def.sample_size));
    return {
      mode: 'streaming',
      eventTypes: ['serving'],
      windowMs: def.window,
      add(ws, e) {
        if (e.type !== 'serving') return;
        windows.at(ws).offer(e.latency_ms);
      },
      close(ws) {
        const w = windows.take(ws);
        if (w.seen < Math.max(1, def.min_requests)) return [];
        const sorted = w.items.sort((a, b) => a - b);
        return [
          {
            labels: { measure: `p${Math.round(def.quantile * 1000) / 10}` },
            value: quantileSorted(sorted, def.quantile),
            details: { requests: w.seen, median_ms: quantileSorted(sorted, 0.5) },
          },
        ];
      },
    };
  },
};
