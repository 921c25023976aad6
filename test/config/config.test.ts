import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONFIG_YAML, loadConfig, resolveConfigPath } from '../../src/config/config';
import { ConfigError } from '../../src/errors';
import { builtinPlugins } from '../../src/plugins';

/** loadConfig: recsysops.yaml validated as a whole, with defaults, resolved paths, and frozen. */

const plugins = builtinPlugins();
const tmp = mkdtempSync(join(tmpdir(), 'rso-config-'));
let n = 0;
/** writes `text` as a recsysops.yaml in a fresh directory and returns its path */
function file(text: string, sub = ''): string {
  const d = join(tmp, `c${n++}`, sub);
  mkdirSync(d, { recursive: true });
  const p = join(d, 'recsysops.yaml');
  writeFileSync(p, text);
  return p;
}
function problemsOf(path: string): Array<{ file: string; path: string; message: string }> {
  try {
    loadConfig(path, plugins);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('RSO_ERR_CONFIG_INVALID');
    return (err as ConfigError).problems;
  }
  throw new Error(`expected ${path} to be invalid`);
}

const minimal = 'sources:\n  - name: logs\n    kind: ndjson\n    paths: [events.ndjson]\n';

describe('the built-in demo config', () => {
  test('loads: a demo source, the console and file notifiers, the in-process demo model', () => {
    const cfg = loadConfig(undefined, plugins);
    expect(cfg.file).toBe('(built-in demo)');
    expect(cfg.sources.map((s) => [s.name, s.kind])).toEqual([['demo', 'demo']]);
    expect(cfg.notifiers.map((s) => [s.name, s.kind])).toEqual([
      ['terminal', 'console'],
      ['alerts-file', 'file'],
    ]);
    expect(cfg.model).toMatchObject({ adapter: 'module', module: 'demo' });
    expect(cfg.baseDir).toBe(process.cwd());
    expect(cfg.state_dir).toBeUndefined(); // --state, RECSYSOPS_STATE or ./.recsysops decide
  });

  test('the same text from a file loads to the same config', () => {
    const cfg = loadConfig(file(DEMO_CONFIG_YAML), plugins);
    expect(cfg.sources).toEqual(loadConfig(undefined, plugins).sources);
  });
});

describe('defaults', () => {
  const cfg = loadConfig(file(minimal), plugins);

  test('metrics on 127.0.0.1:9464 (loopback: not exposed unless asked)', () => {
    expect(cfg.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  test('pipeline: 1m lateness, 5m idle close, 1d future tolerance, 1 MiB events (durations in ms)', () => {
    expect(cfg.pipeline).toEqual({ allowed_lateness: 60_000, idle_close_after: 300_000, future_tolerance: 86_400_000, max_event_bytes: 1_048_576 });
  });

  test('capture, notifiers, links and the source’s own defaults', () => {
    expect(cfg.capture).toMatchObject({ sample_size: 50, window: 300_000, windows: 36 });
    expect(cfg.notifiers).toEqual([]);
    expect(cfg.links).toEqual({});
    expect(cfg.model).toBeUndefined();
    expect(cfg.sources[0]).toMatchObject({ name: 'logs', kind: 'ndjson', paths: ['events.ndjson'] });
  });

  test('durations are read in any unit', () => {
    const c = loadConfig(file(`${minimal}pipeline:\n  allowed_lateness: 90s\n  idle_close_after: 1h30m\n  future_tolerance: 120000\n`), plugins);
    expect(c.pipeline).toMatchObject({ allowed_lateness: 90_000, idle_close_after: 5_400_000, future_tolerance: 120_000 });
  });
});

describe('every problem in one file is reported at once', () => {
  test('sources, notifiers, model and top-level keys, each with its path and line', () => {
    const p = file(
      [
        'sources:', //                         1
        '  - name: logs', //                   2
        '    kind: kafkaesque', //             3
        '  - kind: demo', //                   4  no name
        '  - name: logs', //                   5  duplicate
        '    kind: demo', //                   6
        '    speed: fast', //                  7  not a number
        'notifiers:', //                       8
        '  - name: hook', //                   9
        '    kind: webhook', //                10 (no url)
        '  - name: mail', //                   11
        '    kind: email', //                  12
        '    host: smtp.example.com', //       13
        '    from: a@example.com', //          14
        '    to: [b@example.com]', //          15
        '    password: hunter2', //            16
        'model:', //                           17
        '  adapter: grpc', //                  18
        'metrics:', //                         19
        '  port: 99999', //                    20
        'pipeline:', //                        21
        '  allowed_lateness: 5 minutes', //    22
        'stat_dir: x', //                      23
        '',
      ].join('\n'),
    );
    const problems = problemsOf(p);
    expect(problems.every((x) => x.file === p)).toBe(true);
    const got = problems.map((x) => `${x.path}: ${x.message}`);
    expect(got).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sources\[0\]\.kind \(line 3\): unknown kind "kafkaesque"; available: .*\bdemo\b.*\bndjson\b/),
        expect.stringMatching(/^sources\[1\]\.name \(line 4\): missing: every entry needs a name/),
        expect.stringMatching(/^sources\[2\]\.name \(line 5\): duplicate name "logs"/),
        expect.stringMatching(/^sources\[2\]\.speed \(line 7\): /),
        expect.stringMatching(/^notifiers\[0\]\.url \(line 9\): /),
        expect.stringMatching(/^notifiers\[1\] \(line 16\): "password" is not allowed here: secrets are never read from YAML; .*password_env/),
        expect.stringMatching(/^model\.adapter \(line 18\): unknown model adapter "grpc"; available: .*\bhttp\b/),
        expect.stringMatching(/^metrics\.port \(line 20\): /),
        expect.stringMatching(/^pipeline\.allowed_lateness \(line 22\): invalid duration "5 minutes"/),
        '(top level) (line 23): unknown key "stat_dir"',
      ]),
    );
    expect(problems).toHaveLength(10);
    // the ConfigError's message is the problems, one per line, each starting with the file
    try {
      loadConfig(p, plugins);
    } catch (err) {
      expect((err as Error).message.split('\n')).toEqual(problems.map((x) => `${p}: ${x.path}: ${x.message}`));
    }
  });

  test('a YAML syntax error names the line and column', () => {
    const problems = problemsOf(file('sources:\n  - name: x\n    kind: [demo\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toMatch(/^line \d+, column \d+$/);
  });

  test('an empty file says what is missing; so does a file that is not a mapping', () => {
    expect(problemsOf(file(''))).toEqual([expect.objectContaining({ path: expect.stringMatching(/^sources/), message: expect.stringMatching(/^missing: /) })]);
    expect(problemsOf(file('- a\n- b\n'))).toEqual([expect.objectContaining({ path: '(top level) (line 1)', message: expect.stringContaining('expected object') })]);
    expect(problemsOf(file('sources: []\n'))).toEqual([expect.objectContaining({ path: 'sources (line 1)', message: 'expected at least one source' })]);
  });

  test('a file that does not exist is one problem naming it', () => {
    const missing = join(tmp, 'nope', 'recsysops.yaml');
    expect(problemsOf(missing)).toEqual([expect.objectContaining({ file: missing, message: expect.stringMatching(/^cannot read: ENOENT/) })]);
  });
});

describe('paths', () => {
  test('relative state_dir and checks_dir resolve against the config file’s directory, not the cwd', () => {
    const p = file(`state_dir: .recsysops\nchecks_dir: ../my-checks\n${minimal}`, 'deploy');
    const cfg = loadConfig(p, plugins);
    expect(cfg.baseDir).toBe(join(tmp, `c${n - 1}`, 'deploy'));
    expect(cfg.state_dir).toBe(join(tmp, `c${n - 1}`, 'deploy', '.recsysops'));
    expect(cfg.checks_dir).toBe(join(tmp, `c${n - 1}`, 'my-checks'));
  });

  test('absolute ones are kept', () => {
    const cfg = loadConfig(file(`state_dir: /var/lib/recsysops\nchecks_dir: /etc/recsysops/checks\n${minimal}`), plugins);
    expect(cfg.state_dir).toBe('/var/lib/recsysops');
    expect(cfg.checks_dir).toBe('/etc/recsysops/checks');
  });

  test('the config file: -c, then RECSYSOPS_CONFIG, then ./recsysops.yaml, else the demo', () => {
    const p = file(minimal);
    const d = join(p, '..');
    expect(resolveConfigPath('x.yaml', { RECSYSOPS_CONFIG: '/etc/y.yaml' }, d)).toBe(join(d, 'x.yaml'));
    expect(resolveConfigPath(undefined, { RECSYSOPS_CONFIG: '/etc/y.yaml' }, d)).toBe('/etc/y.yaml');
    expect(resolveConfigPath(undefined, {}, d)).toBe(p);
    expect(resolveConfigPath(undefined, {}, tmp)).toBeUndefined();
  });
});

test('the loaded config is deeply frozen', () => {
  const cfg = loadConfig(file(`${minimal}notifiers:\n  - name: f\n    kind: file\n`), plugins);
  for (const part of [cfg, cfg.metrics, cfg.pipeline, cfg.capture, cfg.links, cfg.sources, cfg.sources[0], cfg.notifiers, cfg.notifiers[0]]) {
    expect(Object.isFrozen(part)).toBe(true);
  }
  expect(Object.isFrozen(cfg.sources[0].paths)).toBe(true);
  // modules are strict: a write throws instead of being silently lost
  expect(() => {
    (cfg.metrics as { port: number }).port = 1;
  }).toThrow(TypeError);
  expect(() => {
    (cfg.sources as unknown[]).push({});
  }).toThrow(TypeError);
  expect(cfg.metrics.port).toBe(9464);
});
