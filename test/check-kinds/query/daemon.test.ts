import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Daemon } from '../../../src/daemon';
import { silentLogger } from '../../../src/telemetry/logger';
import { startDaemon, waitUntil, type Started } from '../../stack/processes';

jest.setTimeout(120_000);

// `recsysops start` (the compiled CLI) with an enabled sql check against the test PostgreSQL: its
// rows become recsysops_check_value series on /metrics; a broken query is counted, not fatal.
const DSN = 'postgres://postgres@127.0.0.1:5432/test';
const table = `rso_daemon_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
let admin: Client;
let daemon: Started | undefined;
let checksDir: string;

beforeAll(async () => {
  admin = new Client({ connectionString: DSN });
  await admin.connect();
  await admin.query(`CREATE TABLE ${table} (surface text, n int)`);
  await admin.query(`INSERT INTO ${table} VALUES ('home', 40), ('home', 2), ('search', 7)`);
  checksDir = mkdtempSync(join(tmpdir(), 'rso-sql-checks-'));
  writeFileSync(
    join(checksDir, 'warehouse-rows.yaml'),
    [
      'kind: sql',
      'schedule: "* * * * * *"',
      'dsn_env: RSO_DAEMON_TEST_DSN',
      `query: SELECT surface, sum(n) AS value FROM ${table} GROUP BY surface`,
      'series_labels: [surface]',
      '',
    ].join('\n'),
  );
  writeFileSync(join(checksDir, 'broken.yaml'), ['kind: sql', 'schedule: "* * * * * *"', 'dsn_env: RSO_DAEMON_TEST_DSN', `query: SELECT value FROM ${table}_missing`, ''].join('\n'));
  process.env.RSO_DAEMON_TEST_DSN = DSN; // the daemon inherits the environment
});

afterAll(async () => {
  await daemon?.stop();
  delete process.env.RSO_DAEMON_TEST_DSN;
  rmSync(checksDir, { recursive: true, force: true });
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

test('the daemon runs an enabled sql check on its schedule and exports each row as a series', async () => {
  daemon = await startDaemon(
    { 'events.ndjson': '', 'recsysops.yaml': 'sources:\n  - name: none\n    kind: ndjson\n    paths: [events.ndjson]\n' },
    ['--checks', checksDir],
  );
  const metrics = await waitUntil(
    'both sql series and the broken query on /metrics',
    async () => {
      const text = await (await fetch(`${daemon!.url}/metrics`)).text();
      return /recsysops_check_value\{check="warehouse-rows",surface="search"/.test(text) && /recsysops_query_errors_total\{check="broken"/.test(text) ? text : undefined;
    },
    60_000,
    250,
  );
  // home: 40 + 2, search: 7
  expect(metrics).toMatch(/recsysops_check_value\{check="warehouse-rows",surface="home",[^}]*\} 42\n/);
  expect(metrics).toMatch(/recsysops_check_value\{check="warehouse-rows",surface="search",[^}]*\} 7\n/);
  expect(metrics).toMatch(/recsysops_query_errors_total\{check="broken",reason="bad_query"\} [1-9]/);
  expect(metrics).not.toMatch(/recsysops_check_value\{check="broken"/);
  // logged once, however many ticks failed
  expect(daemon.output().match(/query failed \(bad_query\)/g)).toHaveLength(1);
  expect(daemon.output()).toContain(`relation "${table}_missing" does not exist`);
});

test('stopping the daemon closes each sql check\'s connection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rso-sql-stop-'));
  const name = `pool-${process.pid}`;
  writeFileSync(join(dir, 'events.ndjson'), '');
  writeFileSync(join(dir, 'recsysops.yaml'), 'sources:\n  - name: none\n    kind: ndjson\n    paths: [events.ndjson]\n');
  const checks = join(dir, 'checks');
  mkdirSync(checks);
  writeFileSync(join(checks, `${name}.yaml`), 'kind: sql\nschedule: "* * * * * *"\ndsn_env: STOP_TEST_DSN\nquery: SELECT 1 AS value\n');
  const connections = async () => (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [`recsysops:${name}`])).rows[0].n as number;
  // in-process, so a pool left open would stay connected (idle connections live a minute)
  const d = Daemon.create({ configPath: join(dir, 'recsysops.yaml'), checksDir: checks, stateDir: join(dir, 'state'), metricsPort: 0, env: { STOP_TEST_DSN: DSN }, logger: silentLogger });
  try {
    await d.start();
    await waitUntil('the check connected', async () => ((await connections()) === 1 ? true : undefined), 30_000, 100);
  } finally {
    await d.stop(1000);
  }
  await waitUntil('the connection is gone', async () => ((await connections()) === 0 ? true : undefined), 10_000, 50);
  rmSync(dir, { recursive: true, force: true });
});
