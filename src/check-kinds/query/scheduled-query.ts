import type { CheckDeps, Observation, ScheduledCheck } from '../kind';
import { compareVersions } from './compare-versions';
import { QueryError, QueryHealth, asQueryError, queryErrorCounter } from './failure';
import type { QueryCheckDefinition } from './fields';
import { rowsToObservations, type QueryRow } from './row';

/** QuerySource runs a kind's query (SQL, HTTP, PromQL, a glob) and returns its rows. */
export interface QuerySource {
  run(now: number): Promise<{ rows: QueryRow[]; notes?: string[] }>;
  close?(): Promise<void>;
}

/**
 * scheduledQueryCheck turns a query source into a scheduled check: on each cron tick it runs the
 * query, maps rows to observations (or compares model versions), and on any failure reports no
 * observation — never a made-up zero — logging once per change of state and counting the failure.
 */
export function scheduledQueryCheck(def: QueryCheckDefinition, deps: CheckDeps, source: QuerySource): ScheduledCheck {
  const health = new QueryHealth(def.name, deps.logger, queryErrorCounter(deps.registry));
  return {
    mode: 'scheduled',
    schedule: def.schedule,
    eventTypes: [],
    see() {},
    async evaluate(now): Promise<Observation[]> {
      let observations: Observation[];
      let notes: string[] = [];
      try {
        const result = await source.run(now);
        notes = result.notes ?? [];
        if (def.compare_versions) {
          const compared = compareVersions(result.rows, def.compare_versions);
          observations = compared.observations;
          notes = [...notes, ...compared.notes];
        } else {
          observations = rowsToObservations(result.rows);
        }
      } catch (err) {
        health.failed(asQueryError(err));
        return [];
      }
      health.succeeded();
      health.note(notes);
      return observations;
    },
    close: source.close ? () => source.close!() : undefined,
  };
}

/** readEnv reads a variable a check names by `*_env`; unset is a failure of the query (reason config), not a crash. */
export function readEnv(env: Record<string, string | undefined>, name: string, field: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new QueryError('config', `environment variable ${name} (${field}) is not set`);
  return v;
}
