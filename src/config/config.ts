import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ConfigProblem } from '../errors';
import { ConfigError } from '../errors';
import type { Registry } from '../registry';
import { durationSchema } from './duration';
import { deepFreeze } from './freeze';
import { YamlFile } from './yaml-file';

/** A pluggable part's plugin, as far as validation needs it. */
interface Pluggable {
  kind: string;
  schema: z.ZodType<unknown>;
}

/** required: the message for a key that is missing, instead of zod's "expected string, received undefined". */
const required = (what: string) => (iss: { input: unknown }) => (iss.input === undefined ? `missing: ${what}` : undefined);

const namedEntry = z.looseObject({
  name: z.string({ error: required('every entry needs a name (used in logs and metrics)') }).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected letters, digits, ".", "_" or "-"'),
  kind: z.string({ error: required('every entry needs a kind') }),
});

const configSchema = z.strictObject({
  /** where issues, alert state and the outbox live; RECSYSOPS_STATE or ./.recsysops by default */
  state_dir: z.string().optional(),
  /** the check definitions; ./checks or the shipped examples by default */
  checks_dir: z.string().optional(),
  metrics: z
    .strictObject({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(9464) })
    .default({ host: '127.0.0.1', port: 9464 }),
  sources: z.array(namedEntry, { error: required('the list of sources the events come from, e.g. [{name: demo, kind: demo}]') }).min(1, 'expected at least one source'),
  notifiers: z.array(namedEntry).default([]),
  model: z.looseObject({ adapter: z.string() }).optional(),
  pipeline: z
    .strictObject({
      /** how long after the newest event a window stays open for late events */
      allowed_lateness: durationSchema.default(60_000),
      /** with a live clock, windows close this long after their end even if no newer event came */
      idle_close_after: durationSchema.default(5 * 60_000),
      /** events further ahead of the newest one than this are rejected as `future_timestamp` */
      future_tolerance: durationSchema.default(86_400_000),
      max_event_bytes: z.number().int().positive().default(1_048_576),
    })
    .default({ allowed_lateness: 60_000, idle_close_after: 300_000, future_tolerance: 86_400_000, max_event_bytes: 1_048_576 }),
  capture: z
    .strictObject({
      /** serving events kept per capture window (a uniform reservoir sample) */
      sample_size: z.number().int().min(0).default(50),
      window: durationSchema.default(5 * 60_000),
      /** how many past capture windows are kept, to find a healthy reference before an incident */
      windows: z.number().int().min(2).default(36),
      /** keep capture windows this far back, so the reference can be the same time of day the day before (e.g. 25h) */
      retention: durationSchema.optional(),
      /** the most serving events one issue stores per sample (failing, reference) */
      max_issue_events: z.number().int().min(1).default(200),
    })
    .default({ sample_size: 50, window: 300_000, windows: 36, max_issue_events: 200 }),
  links: z
    .strictObject({ dashboard_url: z.string().url().optional(), runbook_url: z.string().url().optional() })
    .default({}),
});

export type RecsysopsConfig = z.infer<typeof configSchema> & {
  /** the file it came from, or `(built-in demo)` */
  file: string;
  baseDir: string;
  sources: Array<{ name: string; kind: string; [k: string]: unknown }>;
  notifiers: Array<{ name: string; kind: string; [k: string]: unknown }>;
};

export interface PluginRegistries {
  sources: Registry<Pluggable>;
  notifiers: Registry<Pluggable>;
  models: Registry<Pluggable>;
}

/** The embedded default: the demo world, alerts in the terminal and in alerts.ndjson. */
export const DEMO_CONFIG_YAML = `# the built-in demo: a simulated recommender in accelerated time with injected faults
sources:
  - name: demo
    kind: demo
notifiers:
  - name: terminal
    kind: console
  - name: alerts-file
    kind: file
    path: alerts.ndjson
model:
  adapter: module
  module: demo
`;

/** resolveConfigPath: -c, then RECSYSOPS_CONFIG, then ./recsysops.yaml; undefined means the demo. */
export function resolveConfigPath(flag: string | undefined, env: Record<string, string | undefined>, cwd = process.cwd()): string | undefined {
  if (flag) return resolve(cwd, flag);
  if (env.RECSYSOPS_CONFIG) return resolve(cwd, env.RECSYSOPS_CONFIG);
  const local = resolve(cwd, 'recsysops.yaml');
  return existsSync(local) ? local : undefined;
}

/**
 * loadConfig validates recsysops.yaml, including each source, notifier and model entry against its
 * plugin's schema, and throws one ConfigError listing every problem with its file and path.
 */
export function loadConfig(path: string | undefined, registries: PluginRegistries): RecsysopsConfig {
  const y = path ? new YamlFile(path) : new YamlFile('(built-in demo)', DEMO_CONFIG_YAML);
  if (y.problems.length) throw new ConfigError([...y.problems]);
  const problems: ConfigProblem[] = [];
  const parsed = configSchema.safeParse(y.data ?? {});
  if (!parsed.success) problems.push(...y.problemsOf(parsed.error));
  const baseDir = path ? dirname(path) : process.cwd();
  // The entries are checked against their plugins' schemas even when the rest of the file has
  // problems, so one run lists every problem of the file (a typo at the top level must not hide a
  // password in a notifier).
  const raw: Record<string, unknown> = isRecord(y.data) ? y.data : {};

  const entries = (section: 'sources' | 'notifiers', registry: Registry<Pluggable>) => {
    const list: unknown[] = parsed.success ? parsed.data[section] : Array.isArray(raw[section]) ? raw[section] : [];
    const seen = new Set<string>();
    return list.map((entry, i) => {
      // an entry without a string name and kind is already reported by the top-level schema
      if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.kind !== 'string') return entry;
      const { name, kind, ...rest } = entry;
      if (seen.has(name)) problems.push({ file: y.file, path: y.where([section, i, 'name']), message: `duplicate name "${name}"` });
      seen.add(name);
      if (!registry.has(kind)) {
        problems.push({ file: y.file, path: y.where([section, i, 'kind']), message: `unknown kind "${kind}"; available: ${registry.kinds().join(', ')}` });
        return entry;
      }
      const r = registry.get(kind).schema.safeParse(rest);
      if (!r.success) problems.push(...y.problemsOf(r.error, [section, i]));
      return { name, kind, ...(r.success ? (r.data as object) : rest) };
    }) as RecsysopsConfig[typeof section];
  };
  const sources = entries('sources', registries.sources);
  const notifiers = entries('notifiers', registries.notifiers);
  let model = parsed.success ? parsed.data.model : isRecord(raw.model) && typeof raw.model.adapter === 'string' ? (raw.model as RecsysopsConfig['model']) : undefined;
  if (model) {
    const { adapter, ...rest } = model;
    if (!registries.models.has(adapter)) {
      problems.push({ file: y.file, path: y.where(['model', 'adapter']), message: `unknown model adapter "${adapter}"; available: ${registries.models.kinds().join(', ')}` });
    } else {
      const r = registries.models.get(adapter).schema.safeParse(rest);
      if (!r.success) problems.push(...y.problemsOf(r.error, ['model']));
      else model = { adapter, ...(r.data as object) };
    }
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const cfg = parsed.data;
  return deepFreeze({
    ...cfg,
    sources,
    notifiers,
    model,
    file: y.file,
    baseDir,
    state_dir: cfg.state_dir ? resolve(baseDir, cfg.state_dir) : undefined,
    checks_dir: cfg.checks_dir ? resolve(baseDir, cfg.checks_dir) : undefined,
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
