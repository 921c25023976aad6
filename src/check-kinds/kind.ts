import type { ShownImpressions } from './shown-impressions';
import type { ServingFeatures } from './serving-features';
import { z } from 'zod';
import type { EventType, RecEvent } from '../events/contract';
import type { Clock } from '../clock';
import type { Logger } from '../telemetry/logger';
import type { Registry as PromRegistry } from 'prom-client';
import type { ModelAdapter } from '../model/protocol';
import { validate as validCron } from 'node-cron';
import { durationSchema } from '../config/duration';
import { muteSchema, type MuteWindow } from '../alerting/mute';

/**
 * The label names a check may group by; fixed so every exported series has the same label set.
 * `segment` carries any other grouping (e.g. `context.country=DE` from a volume check's `by`).
 */
export const SERIES_LABELS = ['surface', 'model_version', 'event_type', 'feature', 'measure', 'cohort', 'action', 'segment'] as const;
export type SeriesLabel = (typeof SERIES_LABELS)[number];

/** Observation: one value of one series of a check, for one evaluation (a closed window or a cron tick). */
export interface Observation {
  labels: Partial<Record<SeriesLabel, string>>;
  value: number;
  /** check-specific evidence: top segments, item ids, per-feature rates… stored with the issue */
  details?: Record<string, unknown>;
  /** a sentence to use in the alert summary instead of the generic one (e.g. naming items) */
  summary?: string;
  /**
   * the top contributors behind the value, most anomalous first: drifting features, segments,
   * items. Alerts and issues list the first few, so the page says where to look.
   */
  evidence?: EvidenceItem[];
  /**
   * exported for dashboards but never judged or alerted on: e.g. the total count of a check that
   * alerts per item, so a panel has a series even when no item is in trouble
   */
  informational?: boolean;
}

/** EvidenceItem: one contributor to an observation, e.g. a feature with its drift against the reference. */
export interface EvidenceItem {
  /** what it is: `feature=user_age`, `surface=home`, `item=item-42` */
  name: string;
  /** its value now (the drift statistic, the segment's rate, the item's exposure) */
  value: number;
  /** what it was in the reference or baseline, when the check has one */
  reference?: number | null;
  /** a short note in words, e.g. `PSI 0.41 (KS p<0.001)` */
  note?: string;
}

/** StreamingCheck aggregates events into event-time tumbling windows and is evaluated as each closes. */
export interface StreamingCheck {
  mode: 'streaming';
  eventTypes: readonly EventType[];
  windowMs: number;
  add(windowStart: number, event: RecEvent): void;
  /** close returns the observations of the window [start, end) and forgets its aggregate */
  close(windowStart: number, windowEnd: number): Observation[];
}

/** ScheduledCheck is evaluated on a cron schedule; it may watch events too (freshness does). */
export interface ScheduledCheck {
  mode: 'scheduled';
  schedule: string;
  eventTypes: readonly EventType[];
  see(event: RecEvent): void;
  evaluate(now: number): Promise<Observation[]>;
  /** close releases what the check holds open (a database pool); the daemon calls it on stop */
  close?(): Promise<void>;
}

export type CheckRuntime = StreamingCheck | ScheduledCheck;

export interface CheckDeps {
  clock: Clock;
  logger: Logger;
  /** the environment secrets are read from (`*_env` fields); process.env when not given */
  env?: Record<string, string | undefined>;
  /** the daemon's metrics registry, for a check's own counters (e.g. query errors) */
  registry?: PromRegistry;
  /** the model of recsysops.yaml's `model:` (as diagnose uses it), created on first call; undefined when none */
  model?: () => ModelAdapter | undefined;
  /** the pipeline's table of recent impressions that checks joining engagements share (a check's own when absent) */
  shownImpressions?: ShownImpressions;
  /** the pipeline's one walk of each serving event's feature values, which the feature checks share (a check's own when absent) */
  servingFeatures?: ServingFeatures;
}

/** Fields every check definition has, whatever its kind. */
export const commonCheckFields = {
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lower-case letters, digits, ".", "_" or "-"'),
  description: z.string().optional(),
  /** false keeps a shipped example (e.g. a SQL check needing your database) validated but not run */
  enabled: z.boolean().default(true),
  severity: z.enum(['critical', 'warning', 'info']).default('warning'),
  detector: z
    .strictObject({ kind: z.string(), params: z.record(z.string(), z.unknown()).default({}) })
    .default({ kind: 'robust-zscore', params: {} }),
  /** consecutive breaching evaluations before the alert fires */
  for: z.number().int().min(1).default(1),
  keep_firing_for: durationSchema.default(0),
  repeat_interval: durationSchema.default(4 * 3_600_000),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z
    .strictObject({
      summary: z.string().optional(),
      runbook_url: z.string().url().optional(),
      dashboard_url: z.string().url().optional(),
    })
    .default({}),
  /** checks whose alerts explain this one's (for inhibition, later) */
  depends_on: z.array(z.string()).default([]),
  /** mute windows (maintenance, holidays): values still exported, not learned, no alert (docs/alerts.md) */
  mute: muteSchema,
};

export const streamingFields = {
  window: durationSchema.default(5 * 60_000),
};

export const scheduledFields = {
  // node-cron expression; a sixth, leading field gives seconds (every 10 s: "*/10 * * * * *")
  schedule: z.string().refine((s) => validCron(s), { message: 'expected a cron expression such as "*/5 * * * *" (minute hour day month weekday)' }),
};

/** CheckKind: a plugin, a plain object with its schema next to its code. */
export interface CheckKind<D extends CheckDefinition = CheckDefinition> {
  kind: string;
  description: string;
  mode: 'streaming' | 'scheduled';
  schema: z.ZodType<D>;
  create(def: D, deps: CheckDeps): CheckRuntime;
}

export interface CheckDefinition {
  name: string;
  kind: string;
  description?: string;
  enabled: boolean;
  severity: 'critical' | 'warning' | 'info';
  detector: { kind: string; params: Record<string, unknown> };
  for: number;
  keep_firing_for: number;
  repeat_interval: number;
  labels: Record<string, string>;
  annotations: { summary?: string; runbook_url?: string; dashboard_url?: string };
  depends_on: string[];
  /** filled with [] by the schema; optional so hand-built definitions stay valid */
  mute?: MuteWindow[];
}

/** labelsKey serialises labels in a stable order, to key series and alerts. */
export function labelsKey(labels: Record<string, string | undefined>): string {
  return Object.keys(labels)
    .filter((k) => labels[k] !== undefined)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}
