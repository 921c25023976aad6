import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from '../helpers/cli';
import { ROOT } from '../helpers/cli';
import { runMany } from './run-many';

/**
 * What a user sees first: `--help` everywhere, with examples; the version; and a usage mistake
 * answered with exit code 2 and a hint, never a stack trace or silence.
 */

const commands: string[][] = [
  [],
  ['start'],
  ['validate'],
  ['replay'],
  ['backtest'],
  ['issues'],
  ['issues', 'list'],
  ['issues', 'show'],
  ['issues', 'mark'],
  ['diagnose'],
  ['demo'],
  ['demo', 'record'],
  ['demo', 'model-server'],
];
const name = (cmd: string[]) => cmd.join(' ') || '(the program)';

const cwd = mkdtempSync(join(tmpdir(), 'rso-help-'));
const runs: Record<string, string[]> = {
  version: ['--version'],
  V: ['-V'],
  helpBacktest: ['help', 'backtest'],
  unknown: ['frobnicate'],
  misspelt: ['strat'],
  unknownOption: ['validate', '--chekcs', 'x'],
  status: ['issues', 'list', '--status', 'bogus', '--state', join(cwd, 'state')],
  port: ['start', '--metrics-port', '99999', '--state', join(cwd, 'state')],
  conflict: ['diagnose', 'abcd1234', '--json', '--markdown'],
  'missing replay': ['replay'],
  'missing backtest': ['backtest'],
  'missing issues show': ['issues', 'show'],
  'missing diagnose': ['diagnose'],
  'missing demo record': ['demo', 'record'],
};
for (const c of commands) runs[`help ${name(c)}`] = [...c, '--help'];

/** the commands a help text lists under "Commands:" (without `help`) */
const listed = (help: string) =>
  (/\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '')
    .split('\n')
    .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
    .filter((c): c is string => !!c && c !== 'help');

let r: Record<string, CliResult>;
/** every command and subcommand the help texts list, found by walking them */
let discovered: string[][] = [];
beforeAll(async () => {
  r = await runMany(runs, { cwd });
  const known = new Set(commands.map(name));
  discovered = listed(r['help (the program)'].stdout).flatMap((c) => {
    const sub = r[`help ${c}`] ? listed(r[`help ${c}`].stdout) : [];
    return [[c], ...sub.map((s) => [c, s])];
  });
  const extra = discovered.filter((c) => !known.has(name(c)));
  Object.assign(r, await runMany(Object.fromEntries(extra.map((c) => [`help ${name(c)}`, [...c, '--help']])), { cwd }));
}, 60_000);

describe('--help', () => {
  test.each(commands.map((c) => [name(c), c] as const))('%s --help: exit 0, usage and an Examples: section', (n, cmd) => {
    const h = r[`help ${n}`];
    expect(h.code).toBe(0);
    expect(h.stderr).toBe('');
    expect(h.stdout).toMatch(new RegExp(`^Usage: recsysops${cmd.map((c) => ` ${c}`).join('')} `, 'm'));
    // an Examples: section with at least one runnable `recsysops …` line under it
    expect(h.stdout).toMatch(/\nExamples:\n(?: {2}.*\n?)*? {2}recsysops /);
    // the examples of a command use that command
    if (cmd.length) expect(h.stdout.slice(h.stdout.indexOf('Examples:'))).toContain(`recsysops ${cmd[0]}`);
  });

  test('every command and subcommand the help lists, including ones added later, has --help with examples', () => {
    expect(discovered.map(name)).toEqual(expect.arrayContaining(commands.filter((c) => c.length).map(name)));
    expect(discovered.map(name)).not.toContain('recsysops'); // the Examples: lines are not commands
    for (const c of discovered) {
      const h = r[`help ${name(c)}`];
      expect({ command: name(c), code: h.code, examples: /\nExamples:\n {2}recsysops /.test(h.stdout) }).toEqual({ command: name(c), code: 0, examples: true });
    }
  });

  test('the program help lists every command and the exit codes', () => {
    const h = r['help (the program)'].stdout;
    for (const c of ['start', 'validate', 'replay', 'backtest', 'issues', 'diagnose', 'demo']) expect(h).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(h).toContain('Exit codes: 0 ok, 1 findings');
    expect(h).toContain('2 usage error');
  });

  test('`help <command>` is the same as `<command> --help`', () => {
    expect(r.helpBacktest.code).toBe(0);
    expect(r.helpBacktest.stdout).toBe(r['help backtest'].stdout);
  });
});

test('--version and -V print the version of package.json', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const k of ['version', 'V']) {
    expect(r[k].code).toBe(0);
    expect(r[k].stdout).toBe(`${version}\n`);
  }
});

describe('usage errors exit 2 with a hint', () => {
  test('an unknown command', () => {
    expect(r.unknown.code).toBe(2);
    expect(r.unknown.stdout).toBe('');
    expect(r.unknown.stderr).toContain("error: unknown command 'frobnicate'");
    expect(r.unknown.stderr).toContain('(run with --help for usage)');
  });

  test('a misspelt command suggests the right one', () => {
    expect(r.misspelt.code).toBe(2);
    expect(r.misspelt.stderr).toContain('(Did you mean start?)');
  });

  test.each([
    ['replay', "missing required argument 'events'"],
    ['backtest', "missing required argument 'series.csv'"],
    ['issues show', "missing required argument 'id'"],
    ['diagnose', "missing required argument 'id'"],
    ['demo record', "required option '-o, --output <file>' not specified"],
  ])('recsysops %s without its required argument', (cmd, message) => {
    const m = r[`missing ${cmd}`];
    expect(m.code).toBe(2);
    expect(m.stdout).toBe('');
    expect(m.stderr).toContain(`error: ${message}`);
    expect(m.stderr).toContain('(run with --help for usage)');
    expect(m.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('an unknown option suggests the right one', () => {
    expect(r.unknownOption.code).toBe(2);
    expect(r.unknownOption.stderr).toContain("error: unknown option '--chekcs'");
    expect(r.unknownOption.stderr).toContain('(Did you mean --checks?)');
  });

  test('issues list --status bogus', () => {
    expect(r.status.code).toBe(2);
    expect(r.status.stdout).toBe('');
    expect(r.status.stderr).toBe('recsysops: --status must be open, resolved or false-alarm, not "bogus"\n');
  });

  test('an out-of-range --metrics-port says what is wrong (and starts nothing)', () => {
    expect(r.port.code).toBe(2);
    expect(r.port.stderr).toContain("option '--metrics-port <port>' argument '99999' is invalid");
    expect(r.port.stderr).toContain('0 to 65535');
    expect(r.port.stderr).not.toContain('recsysops started');
  });

  test('--json and --markdown of diagnose exclude each other', () => {
    expect(r.conflict.code).toBe(2);
    expect(r.conflict.stderr).toContain("option '--json' cannot be used with option '--markdown'");
  });
});
