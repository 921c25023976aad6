import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { builtinCheckKinds } from '../../../src/check-kinds';
import { loadChecks } from '../../../src/config/load-checks';
import { builtinDetectors } from '../../../src/detectors';
import { sqlKind } from '../../../src/check-kinds/query/sql';
import { freePort } from '../../notify/helpers';
import { build, problems } from './harness';

// The PostgreSQL of the test machine: trust auth, database test, user postgres.
const DSN = 'postgres://postgres@127.0.0.1:5432/test';
const env = { RSO_TEST_DSN: DSN };
const table = `rso_sources_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
const metricsTable = `${table}_offline`;
let admin: Client;

beforeAll(async () => {
  admin = new Client({ connectionString: DSN });
  await admin.connect();
  await admin.query(`CREATE TABLE ${table} (surface text, label int)`);
  // home: 3 rows (2 positive), search: 2 rows (0 positive)
  await admin.query(`INSERT INTO ${table} VALUES ('home', 1), ('home', 1), ('home', 0), ('search', 0), ('search', 0)`);
  await admin.query(`CREATE TABLE ${metricsTable} (model_version text, trained_at timestamptz, ndcg_at_10 double precision)`);
  await admin.query(
    `INSERT INTO ${metricsTable} VALUES ('v12', '2026-01-03', 0.38), ('v10', '2026-01-01', 0.42), ('v11', '2026-01-02', 0.40)`,
  );
});

afterAll(async () => {
  await admin.query(`DROP TABLE IF EXISTS ${table}, ${metricsTable}, ${table}_late`);
  await admin.end();
});

describe('sql against PostgreSQL', () => {
  test('each row is one series: value column and label columns', async () => {
    const q = build(sqlKind, { dsn_env: 'RSO_TEST_DSN', query: `SELECT surface, count(*) AS value FROM ${table} GROUP BY surface ORDER BY surface`, series_labels: ['surface'] }, env);
    try {
      // count(*) is a bigint, which pg returns as text: it is read as a number
      expect(await q.check.evaluate(Date.now())).toEqual([
        { labels: { surface: 'home' }, value: 3 },
        { labels: { surface: 'search' }, value: 2 },
      ]);
      // avg() over no rows is NULL: no observation for that series, not a 0
      const rate = build(
        sqlKind,
        {
          host: '127.0.0.1',
          database: 'test',
          user: 'postgres',
          query: `SELECT s AS surface, (SELECT avg(label) FROM ${table} t WHERE t.surface = s) AS positive_rate FROM unnest(ARRAY['home','search','email']) s`,
          value_column: 'positive_rate',
          series_labels: { surface: 'surface' },
        },
        {},
      );
      try {
        const obs = await rate.check.evaluate(Date.now());
        expect(obs.map((o) => [o.labels.surface, Number(o.value.toFixed(6))])).toEqual([
          ['home', 0.666667],
          ['search', 0],
        ]);
      } finally {
        await rate.check.close?.();
      }
    } finally {
      await q.check.close?.();
    }
  });

  test('with several statements, the last result counts', async () => {
    const q = build(sqlKind, { dsn_env: 'RSO_TEST_DSN', query: "SET LOCAL work_mem = '8MB'; SELECT 2.5 AS value" }, env);
    try {
      expect(await q.check.evaluate(Date.now())).toEqual([{ labels: {}, value: 2.5 }]);
    } finally {
      await q.check.close?.();
    }
  });

  test('offline NDCG@10 per model version: the newest version against the one before, by trained_at', async () => {
    const q = build(
      sqlKind,
      {
        dsn_env: 'RSO_TEST_DSN',
        query: `SELECT model_version, trained_at, ndcg_at_10 FROM ${metricsTable}`,
        value_column: 'ndcg_at_10',
        series_labels: ['model_version'],
        compare_versions: { baseline: 'latest-previous', order_by: 'trained_at' },
        detector: { kind: 'threshold', params: { min: -0.03 } },
      },
      env,
    );
    try {
      const [o] = await q.check.evaluate(Date.now());
      // v12 (0.38) against v11 (0.40): (0.38 − 0.40) / 0.40 = −0.05
      expect(o.value).toBeCloseTo(-0.05, 12);
      expect(o.labels).toEqual({});
      expect(o.details).toMatchObject({ candidate: 'v12', baseline: 'v11', candidate_value: 0.38, baseline_value: 0.4 });
      expect(o.evidence?.map((e) => e.name)).toEqual(['model_version=v12', 'model_version=v11']);
    } finally {
      await q.check.close?.();
    }
  });

  test('a failing query gives no observation, counts each failure, logs once per change of state', async () => {
    const late = `${table}_late`;
    const q = build(sqlKind, { dsn_env: 'RSO_TEST_DSN', query: `SELECT count(*) AS value FROM ${late}` }, env);
    try {
      expect(await q.check.evaluate(Date.now())).toEqual([]);
      expect(await q.check.evaluate(Date.now())).toEqual([]);
      expect(await q.errors()).toEqual({ bad_query: 2 });
      const failed = q.log.filter((l) => l.includes('query failed'));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toContain(`relation "${late}" does not exist`);
      // the table appears: the next tick observes and says the query works again
      await admin.query(`CREATE TABLE ${late} (x int)`);
      expect(await q.check.evaluate(Date.now())).toEqual([{ labels: {}, value: 0 }]);
      expect(q.log.filter((l) => l.includes('query works again'))).toHaveLength(1);
    } finally {
      await q.check.close?.();
    }
  });

  test('statement timeout, refused connection, unset variable, read-only session: each a reason, none a crash', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, string>, string, RegExp]> = [
      [{ dsn_env: 'RSO_TEST_DSN', query: 'SELECT pg_sleep(5) AS value', timeout: '300ms' }, env, 'timeout', /statement timeout|timeout/i],
      [{ host: '127.0.0.1', port: await freePort(), database: 'test', user: 'postgres', query: 'SELECT 1 AS value' }, {}, 'unreachable', /ECONNREFUSED/],
      [{ dsn_env: 'RSO_UNSET_DSN', query: 'SELECT 1 AS value' }, {}, 'config', /environment variable RSO_UNSET_DSN \(dsn_env\) is not set/],
      [{ dsn_env: 'RSO_TEST_DSN', query: `INSERT INTO ${table} VALUES ('x', 1) RETURNING label AS value` }, env, 'bad_query', /read-only transaction/],
    ];
    for (const [fields, e, reason, message] of cases) {
      const q = build(sqlKind, fields, e);
      try {
        expect(await q.check.evaluate(Date.now())).toEqual([]);
        expect(await q.errors()).toEqual({ [reason]: 1 });
        expect(q.log.join('\n')).toMatch(message);
      } finally {
        await q.check.close?.();
      }
    }
    // the refused INSERT left the table as it was
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(5);
  });

  test('one pooled connection per check, named after it, closed by close()', async () => {
    const name = `rso-pool-${process.pid}`;
    const q = build(sqlKind, { name, dsn_env: 'RSO_TEST_DSN', query: 'SELECT 1 AS value' }, env);
    const connections = async () => (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [`recsysops:${name}`])).rows[0].n as number;
    await q.check.evaluate(Date.now());
    await q.check.evaluate(Date.now());
    expect(await connections()).toBe(1);
    await q.check.close?.();
    // the backend leaves pg_stat_activity shortly after the client disconnects
    for (let i = 0; i < 100 && (await connections()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await connections()).toBe(0);
  });

  test('the password in a connection string is masked in the log', async () => {
    // trust auth ignores the password, so the query runs; its error message quotes the password back
    const q = build(sqlKind, { dsn_env: 'RSO_SECRET_DSN', query: "SELECT 'hunter2-secret'::int AS value" }, { RSO_SECRET_DSN: 'postgres://postgres:hunter2-secret@127.0.0.1:5432/test' });
    try {
      expect(await q.check.evaluate(Date.now())).toEqual([]);
      const text = q.log.join('\n');
      expect(text).toContain('invalid input syntax for type integer: "***"');
      expect(text).not.toContain('hunter2-secret');
    } finally {
      await q.check.close?.();
    }
  });
});

describe('sql definitions', () => {
  test('a connection is either dsn_env or host; secrets are never in YAML; compare_versions needs model_version', () => {
    expect(problems(sqlKind, { query: 'SELECT 1 AS value' })).toEqual([expect.stringMatching(/^dsn_env: give either dsn_env .* or host/)]);
    expect(problems(sqlKind, { dsn_env: 'X', host: 'db', query: 'SELECT 1' })).toEqual([expect.stringMatching(/^dsn_env: give either/)]);
    expect(problems(sqlKind, { dsn_env: 'postgres://u:p@db/x', query: 'SELECT 1' })).toEqual([expect.stringMatching(/^dsn_env: expected the NAME of an environment variable/)]);
    expect(problems(sqlKind, { dsn_env: 'X', query: 'SELECT 1', compare_versions: {} })).toEqual([expect.stringMatching(/^series_labels: compare_versions needs model_version/)]);
    expect(problems(sqlKind, { dsn_env: 'X', query: 'SELECT 1', series_labels: ['region'] })[0]).toMatch(/^series_labels/);
  });

  test('a password in the YAML is refused, naming the file, the line and the *_env field to use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rso-sql-def-'));
    try {
      writeFileSync(join(dir, 'w.yaml'), 'kind: sql\nschedule: "* * * * *"\nhost: db\nuser: reader\npassword: s3cret\nquery: SELECT 1 AS value\n');
      const { problems: found } = loadChecks(dir, builtinCheckKinds(), builtinDetectors());
      expect(found).toEqual([
        { file: join(dir, 'w.yaml'), path: '(top level) (line 5)', message: expect.stringMatching(/^"password" is not allowed here: secrets are never read from YAML; name the environment variable that holds it \(e\.g\. password_env: /) },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the detector defaults to seasonal-zscore', () => {
    expect(sqlKind.schema.parse({ name: 'q', kind: 'sql', schedule: '* * * * *', dsn_env: 'X', query: 'SELECT 1' }).detector).toEqual({ kind: 'seasonal-zscore', params: {} });
  });
});
