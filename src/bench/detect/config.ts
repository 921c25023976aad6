import { z } from 'zod';
import { FAULT_KINDS, type FaultKind } from '../../demo/faults';
import { YamlFile } from '../../config/yaml-file';
import { ConfigError } from '../../errors';
import { corpusSchema } from './corpus';

/**
 * DEFAULT_CATCHES: which fault kinds each built-in check kind is meant to catch. A check kind
 * missing here (a new one) takes its list from `catches:` in the bench config, or is scored
 * against every fault.
 */
export const DEFAULT_CATCHES: Record<string, FaultKind[]> = {
  volume: ['volume-drop'],
  'engagement-rate': ['bad-model', 'stale-cache', 'feature-bug'],
  'feature-quality': ['feature-bug'],
  latency: ['latency-spike'],
  'cold-start': ['starved-item'],
  freshness: ['stall'],
  'feature-drift': ['feature-bug'],
  'score-drift': ['bad-model', 'stale-cache', 'feature-bug'],
  'engaged-rank': ['bad-model', 'stale-cache', 'feature-bug'],
  'catalog-coverage': ['stale-cache'],
  'popularity-concentration': ['stale-cache', 'feature-bug'],
  'model-version-mix': ['bad-model'],
  'launch-curve': ['starved-item'],
  'launch-forecast': ['starved-item'],
  // no demo fault is theirs: scored for false alarms only
  'slate-size': [],
  'new-item-share': [],
  'duplicate-rate': [],
};

/**
 * CATCHES_BY_DEFINITION: kinds whose reach depends on how the check is configured. A feature-quality
 * check sees the demo's feature bug (null affinity, zeroed embeddings) only through null_rate or
 * zero_rate; one that watches out-of-range values, type changes and new categories (the shipped
 * feature-inputs) has no demo fault of its own and is scored for false alarms only.
 */
export const CATCHES_BY_DEFINITION: Record<string, (def: Record<string, unknown>) => FaultKind[]> = {
  'feature-quality': (def) => {
    const measures = Array.isArray(def.measures) ? (def.measures as string[]) : ['null_rate'];
    return measures.some((m) => m === 'null_rate' || m === 'zero_rate') ? ['feature-bug'] : [];
  },
};

/** SHARP_KINDS: faults that start as a step change; a starved item only shows after the check's grace. */
export const SHARP_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((k) => k !== 'starved-item');

export const benchConfigSchema = z.strictObject({
  corpus: corpusSchema.default(corpusSchema.parse({})),
  /** per check kind or check name (the name wins): the fault kinds it is meant to catch */
  catches: z.record(z.string(), z.array(z.enum(FAULT_KINDS))).default({}),
  /** a fault counts as detected by an alert up to this many windows of the check after its end */
  grace_windows: z.number().int().min(0).default(2),
  /** scheduled checks (cron, wall clock) are evaluated this often in simulated time */
  scheduled_every_s: z.number().positive().default(60),
  targets: z
    .strictObject({
      moderate_size: z.number().gt(0).max(1).default(0.5),
      max_false_alarms_per_week: z.number().nonnegative().default(1),
      max_delay_windows: z.number().positive().default(2),
    })
    .default({ moderate_size: 0.5, max_false_alarms_per_week: 1, max_delay_windows: 2 }),
});
export type BenchConfig = z.output<typeof benchConfigSchema>;

/** loadBenchConfig reads a bench config file (absent: the defaults); problems name the file and path. */
export function loadBenchConfig(path?: string): BenchConfig {
  if (!path) return benchConfigSchema.parse({});
  const y = new YamlFile(path);
  if (y.problems.length) throw new ConfigError(y.problems);
  const parsed = benchConfigSchema.safeParse(y.data ?? {});
  if (!parsed.success) throw new ConfigError(y.problemsOf(parsed.error));
  return parsed.data;
}

/**
 * catchesOf: the fault kinds a check is scored against: by name or kind from the bench config, else
 * built in (by its definition where the kind's reach depends on it, else by kind), else every fault.
 */
export function catchesOf(c: BenchConfig, check: { name: string; kind: string; def?: Record<string, unknown> }): FaultKind[] | 'any' {
  const byDefinition = check.def ? CATCHES_BY_DEFINITION[check.kind]?.(check.def) : undefined;
  return c.catches[check.name] ?? c.catches[check.kind] ?? byDefinition ?? DEFAULT_CATCHES[check.kind] ?? 'any';
}
