import { z } from 'zod';
import { Pool, type PoolConfig } from 'pg';
import { commonCheckFields, type CheckKind } from '../kind';
import { QueryError, describeError, errorCode, isNetworkError } from './failure';
import { envNameSchema, labelSources, needsModelVersion, needsModelVersionIssue, queryFields, seriesLabelsSchema, type QueryCheckDefinition } from './fields';
import { readEnv, scheduledQueryCheck } from './scheduled-query';
import { toLabel, toOrder, toValue, type QueryRow } from './row';

const schema = z
  .strictObject({
    ...commonCheckFields,
    ...queryFields,
    kind: z.literal('sql'),
    /** the environment variable holding the connection string (postgres://user:pass@host:5432/db) */
    dsn_env: envNameSchema.optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    /** the environment variable holding the password (with host/database/user) */
    password_env: envNameSchema.optional(),
    /** TLS to the database (verifying its certificate against the system CAs) */
    ssl: z.boolean().default(false),
    /** sessions are read-only (default_transaction_read_only), so a check can never change the warehouse */
    read_only: z.boolean().default(true),
    query: z.string().min(1, 'expected the SQL query'),
    /** the column holding the value */
    value_column: z.string().min(1).default('value'),
    series_labels: seriesLabelsSchema,
  })
  .refine((d) => (d.dsn_env === undefined) !== (d.host === undefined), {
    message: 'give either dsn_env (a variable holding the connection string) or host (with database, user, password_env), not both',
    path: ['dsn_env'],
  })
  .refine(needsModelVersion, needsModelVersionIssue);
export type SqlDefinition = z.infer<typeof schema> & QueryCheckDefinition;

/** poolConfig: one client per check, timeouts from `timeout`, secrets from the environment (read when first needed). */
export function poolConfig(def: SqlDefinition, env: Record<string, string | undefined>): PoolConfig {
  const connection: PoolConfig = def.dsn_env
    ? { connectionString: readEnv(env, def.dsn_env, 'dsn_env') }
    : {
        host: def.host,
        port: def.port,
        database: def.database,
        user: def.user,
        password: def.password_env ? readEnv(env, def.password_env, 'password_env') : undefined,
      };
  return {
    ...connection,
    ...(def.ssl ? { ssl: true } : {}),
    max: 1,
    // a check every minute or faster keeps its connection; a slower one reconnects each time
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: def.timeout,
    statement_timeout: def.timeout,
    // the client gives up a little after the server's statement_timeout would have
    query_timeout: def.timeout + 1000,
    application_name: `recsysops:${def.name}`.slice(0, 63),
    ...(def.read_only ? { options: '-c default_transaction_read_only=on' } : {}),
  };
}

/** classifyPgError files a pg/network error under a query error reason. */
export function classifyPgError(err: unknown): QueryError {
  const message = describeError(err);
  const code = errorCode(err);
  if (code === '57014' || /timeout|timed out/i.test(message)) return new QueryError('timeout', message);
  if (isNetworkError(err) || code?.startsWith('08') || code === '3D000' || /Connection terminated/i.test(message)) return new QueryError('unreachable', message);
  if (code?.startsWith('28')) return new QueryError('auth', message);
  if (code && /^(42|22|0A|25|3F)/.test(code)) return new QueryError('bad_query', message);
  return new QueryError('other', message);
}

/**
 * sqlRows maps a result (rows of column → value) to query rows: the value column, the label
 * columns, and compare_versions.order_by. A missing column names the columns there are.
 */
export function sqlRows(rows: Array<Record<string, unknown>>, columns: string[], def: Pick<SqlDefinition, 'value_column' | 'series_labels' | 'compare_versions'>): QueryRow[] {
  const need = [def.value_column, ...labelSources(def.series_labels).map(([, c]) => c), ...(def.compare_versions?.order_by ? [def.compare_versions.order_by] : [])];
  for (const c of need) {
    if (!columns.includes(c)) {
      throw new QueryError('path_not_found', `the result has no column "${c}" (columns: ${columns.join(', ') || 'none'}); name it in the query, e.g. "… AS ${c}"`);
    }
  }
  return rows.map((row, i) => {
    const origin = `row ${i + 1}`;
    const labels: QueryRow['labels'] = {};
    for (const [label, column] of labelSources(def.series_labels)) labels[label] = toLabel(row[column]);
    const orderBy = def.compare_versions?.order_by;
    return {
      labels,
      value: toValue(row[def.value_column], `${origin}, column ${def.value_column}`),
      origin,
      ...(orderBy ? { order: toOrder(row[orderBy], `${origin}, column ${orderBy}`) } : {}),
    };
  });
}

/**
 * sql: a PostgreSQL query run on a cron schedule (a training-data table, a warehouse count, an
 * offline metric per model version). Each row is one series: `value_column` its value,
 * `series_labels` its labels.
 */
export const sqlKind: CheckKind<SqlDefinition> = {
  kind: 'sql',
  description: 'a PostgreSQL query on a cron schedule; each row one series (value column, label columns)',
  mode: 'scheduled',
  schema: schema as unknown as z.ZodType<SqlDefinition>,
  create(def, deps) {
    const env = deps.env ?? process.env;
    let pool: Pool | undefined;
    let closed = false;
    const open = (): Pool => {
      if (pool) return pool;
      // a tick still running when the daemon stops must not open a pool nobody closes
      if (closed) throw new QueryError('other', 'the check is stopped');
      const config = poolConfig(def, env);
      deps.logger.addSecrets([config.password, config.connectionString, passwordOf(config.connectionString)].filter((s): s is string => typeof s === 'string'));
      pool = new Pool(config);
      // an idle connection the server drops must not crash the daemon; the next query reconnects
      pool.on('error', (err) => deps.logger.warn('idle database connection lost', { error: describeError(err) }));
      return pool;
    };
    return scheduledQueryCheck(def, deps, {
      async run() {
        const p = open();
        let result;
        try {
          result = await p.query({ text: def.query });
        } catch (err) {
          throw classifyPgError(err);
        }
        // a multi-statement query answers with one result per statement: the last one counts
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return { rows: sqlRows(last.rows, last.fields.map((f: { name: string }) => f.name), def) };
      },
      async close() {
        closed = true;
        const p = pool;
        pool = undefined;
        await p?.end();
      },
    });
  },
};

function passwordOf(dsn: string | undefined): string | undefined {
  if (!dsn) return undefined;
  try {
    const p = decodeURIComponent(new URL(dsn).password);
    return p || undefined;
  } catch {
    return undefined;
  }
}
