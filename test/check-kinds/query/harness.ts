import { Registry as PromRegistry } from 'prom-client';
import type { CheckKind, ScheduledCheck } from '../../../src/check-kinds/kind';
import { createLogger } from '../../../src/telemetry/logger';

/** A scheduled query check built from its YAML fields, with a captured log and its own metrics registry. */
export interface Built {
  check: ScheduledCheck;
  log: string[];
  registry: PromRegistry;
  /** recsysops_query_errors_total by reason */
  errors(): Promise<Record<string, number>>;
}

export function build(kind: CheckKind<any>, fields: Record<string, unknown>, env: Record<string, string | undefined> = {}): Built {
  const def = kind.schema.parse({ name: 'q', kind: kind.kind, schedule: '* * * * *', ...fields });
  const log: string[] = [];
  const registry = new PromRegistry();
  const logger = createLogger({ write: (l) => log.push(l) });
  const check = kind.create(def, { clock: () => Date.now(), logger, env, registry }) as ScheduledCheck;
  return {
    check,
    log,
    registry,
    async errors() {
      const m = registry.getSingleMetric('recsysops_query_errors_total');
      const out: Record<string, number> = {};
      for (const v of (await m?.get())?.values ?? []) out[String(v.labels.reason)] = v.value;
      return out;
    },
  };
}

/** problems: the zod messages of an invalid definition, as "path: message". */
export function problems(kind: CheckKind<any>, fields: Record<string, unknown>): string[] {
  const r = kind.schema.safeParse({ name: 'q', kind: kind.kind, schedule: '* * * * *', ...fields });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
