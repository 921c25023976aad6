import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../events/contract';
import { commonCheckFields, scheduledFields, type CheckDefinition, type CheckKind } from './kind';

const schema = z.strictObject({
  ...commonCheckFields,
  ...scheduledFields,
  kind: z.literal('freshness'),
  event_type: z.enum(EVENT_TYPES as [string, ...string[]]),
});
export type FreshnessDefinition = z.infer<typeof schema> & CheckDefinition;

/**
 * freshness is a scheduled check: on its cron schedule it reports the seconds since the newest event
 * of a type (by event time), so a stream that stops entirely, and so closes no window, still alerts.
 */
export const freshnessKind: CheckKind<FreshnessDefinition> = {
  kind: 'freshness',
  description: 'seconds since the newest event of a type, evaluated on a cron schedule',
  mode: 'scheduled',
  schema: schema as z.ZodType<FreshnessDefinition>,
  create(def, deps) {
    const startedAt = deps.clock();
    let newest: number | undefined;
    return {
      mode: 'scheduled',
      schedule: def.schedule,
      eventTypes: [def.event_type as EventType],
      see(e) {
        if (newest === undefined || e.ts > newest) newest = e.ts;
      },
      async evaluate(now) {
        const since = newest ?? startedAt;
        return [
          {
            labels: { event_type: def.event_type },
            value: Math.max(0, (now - since) / 1000),
            details: { newest_event: newest === undefined ? null : new Date(newest).toISOString() },
          },
        ];
      },
    };
  },
};
