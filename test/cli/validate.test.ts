import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { CliResult } from '../helpers/cli';
import { ROOT } from '../helpers/cli';
import { runMany } from './run-many';

/**
 * `recsysops validate` and `recsysops start` on a bad configuration: every problem at once, each with
 * its file, the path inside it and its line, and the daemon refuses to start (exit 1, nothing runs).
 */

const tmp = mkdtempSync(join(tmpdir(), 'rso-validate-'));
const write = (rel: string, text: string) => {
  const p = join(tmp, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

// a checks directory with several broken files, one problem each
const brokenChecks = join(tmp, 'broken-checks');
write('broken-checks/a-volume.yaml', 'name: a-volume\nkind: volume\nevent_type: impression\nwindow: 5 minutes\n');
write('broken-checks/b-params.yaml', 'kind: volume\nevent_type: impression\ndetector:\n  kind: robust-zscore\n  params:\n    threshhold: 4\n');
write('broken-checks/c-kind.yaml', '# a kind that does not exist\nkind: volumes\nevent_type: impression\n');
write('broken-checks/d-syntax.yaml', 'kind: volume\nevent_type: [impression\n');
write('broken-checks/e-ok.yaml', 'kind: volume\nevent_type: serving\n');
const okConfig = write('ok.yaml', 'sources:\n  - name: logs\n    kind: ndjson\n    paths: [events.ndjson]\n');

// one recsysops.yaml with four different mistakes
const badConfig = write(
  'bad/recsysops.yaml',
  [
    'sources:', //                                     1
    '  - kind: demo', //                               2  (no name)
    'notifiers:', //                                   3
    '  - name: pager', //                              4
    '    kind: pagerduty', //                          5  (unknown kind)
    '  - name: oncall', //                             6
    '    kind: email', //                              7
    '    host: smtp.example.com', //                   8
    '    from: rso@example.com', //                    9
    '    to: [oncall@example.com]', //                 10
    '    username: rso', //                            11
    '    password: hunter2-in-yaml', //                12 (a secret in YAML)
    'metrics:', //                                     13
    '  port: 9464', //                                 14
    'stat_dir: /tmp/somewhere', //                     15 (typo of state_dir)
    '',
  ].join('\n'),
);
const badState = join(tmp, 'bad-state');
const brokenState = join(tmp, 'broken-state');

let r: Record<'shipped' | 'shippedDefault' | 'broken' | 'brokenStart' | 'bad' | 'badStart', CliResult>;
beforeAll(async () => {
  r = await runMany(
    {
      shipped: ['validate', '--checks', join(ROOT, 'checks')],
      shippedDefault: ['validate'], // an empty directory: the built-in demo config and the shipped checks
      broken: ['validate', '-c', okConfig, '--checks', brokenChecks],
      brokenStart: ['start', '-c', okConfig, '--checks', brokenChecks, '--state', brokenState, '--metrics-port', '0'],
      bad: ['validate', '-c', badConfig, '--checks', join(ROOT, 'checks')],
      badStart: ['start', '-c', badConfig, '--checks', join(ROOT, 'checks'), '--state', badState, '--metrics-port', '0'],
    },
    { cwd: mkdtempSync(join(tmpdir(), 'rso-validate-cwd-')) },
  );
}, 60_000);

/** the problem lines of an invalid-configuration report, without the shared indentation */
const problemLines = (x: CliResult) =>
  x.stderr
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim());

describe('validate with the shipped checks', () => {
  const shipped = readdirSync(join(ROOT, 'checks')).filter((f) => f.endsWith('.yaml'));

  test.each([['--checks checks/', 'shipped'], ['no flags, empty directory', 'shippedDefault']] as const)('%s: exit 0 and one line per check', (_n, key) => {
    const x = r[key];
    expect(x.code).toBe(0);
    expect(x.stderr).toBe('');
    expect(x.stdout).toContain(`ok: (built-in demo): 1 source(s), 2 notifier(s)`);
    expect(x.stdout).toContain(`ok: ${join(ROOT, 'checks')}: ${shipped.length} check(s)`);
    for (const f of shipped) {
      const def = parse(readFileSync(join(ROOT, 'checks', f), 'utf8')) as { name?: string; kind: string; detector?: { kind: string } };
      const nameOf = def.name ?? basename(f, '.yaml');
      expect(x.stdout).toMatch(new RegExp(`^  ${nameOf} +${def.kind} +${def.detector?.kind ?? 'robust-zscore'}$`, 'm'));
    }
  });
});

describe('a checks directory with several broken files', () => {
  test('validate exits 1 and lists every problem with file, path and line', () => {
    const x = r.broken;
    expect(x.code).toBe(1);
    expect(x.stdout).toBe(''); // no "ok:" summary
    expect(x.stderr).toMatch(/^recsysops: invalid configuration \(4 problems\):\n/);
    const lines = problemLines(x);
    expect(lines).toHaveLength(4);
    const at = (f: string) => `${join(brokenChecks, f)}: `;
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${esc(at('a-volume.yaml'))}window \\(line 4\\): invalid duration "5 minutes": expected .*\\(e\\.g\\. 5m`)),
      `${at('b-params.yaml')}detector.params (line 6): unknown key "threshhold"`,
      expect.stringMatching(new RegExp(`^${esc(at('c-kind.yaml'))}kind \\(line 2\\): unknown check kind "volumes"; available: .*\\bvolume\\b`)),
      expect.stringMatching(new RegExp(`^${esc(at('d-syntax.yaml'))}line \\d+, column \\d+: Flow sequence .*\\]$`)),
    ]);
    // the good file is not blamed
    expect(x.stderr).not.toContain('e-ok.yaml');
  });

  test('start on them refuses to run: exit 1, the same problems, nothing started or written', () => {
    const x = r.brokenStart;
    expect(x.code).toBe(1);
    expect(problemLines(x)).toEqual(problemLines(r.broken));
    expect(x.stderr).not.toMatch(/recsysops started|source started|listening/);
    expect(x.stdout).toBe('');
    expect(existsSync(brokenState)).toBe(false);
  });
});

describe('a recsysops.yaml with several mistakes', () => {
  test('validate exits 1 and reports each with the file, the path and the line', () => {
    const x = r.bad;
    expect(x.code).toBe(1);
    expect(x.stdout).toBe('');
    const lines = problemLines(x);
    expect(x.stderr).toMatch(new RegExp(`^recsysops: invalid configuration \\(${lines.length} problems\\):\n`));
    const at = `${badConfig}: `;
    expect(lines).toEqual(
      expect.arrayContaining([
        // a source with no name
        expect.stringMatching(new RegExp(`^${esc(at)}sources\\[0\\]\\.name \\(line 2\\): missing: every entry needs a name`)),
        // an unknown notifier kind, with the kinds that exist
        expect.stringMatching(new RegExp(`^${esc(at)}notifiers\\[0\\]\\.kind \\(line 5\\): unknown kind "pagerduty"; available: .*\\bemail\\b.*\\bwebhook\\b`)),
        // a password in YAML: secrets come from the environment
        expect.stringMatching(new RegExp(`^${esc(at)}notifiers\\[1\\] \\(line 12\\): "password" is not allowed here: secrets are never read from YAML; .*password_env: `)),
        // a typo key, on its own line
        `${at}(top level) (line 15): unknown key "stat_dir"`,
        // and, having a username, it needs the variable that holds its password
        expect.stringMatching(new RegExp(`^${esc(at)}notifiers\\[1\\]\\.password_env \\(line 6\\): username and password_env go together`)),
      ]),
    );
    expect(lines).toHaveLength(5);
    // the secret itself is never repeated back
    expect(x.stderr).not.toContain('hunter2-in-yaml');
  });

  test('start on it exits 1 with the same problems and does not keep running', () => {
    const x = r.badStart;
    expect(x.code).toBe(1); // not null: it exited by itself, runMany's timeout did not kill it
    expect(problemLines(x)).toEqual(problemLines(r.bad));
    expect(x.stderr).not.toMatch(/recsysops started|source started|demo: world started/);
    expect(existsSync(badState)).toBe(false);
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
