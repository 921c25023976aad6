import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCheckKinds } from '../../src/check-kinds';
import { builtinDetectors } from '../../src/detectors';
import { loadChecks, PACKAGED_CHECKS_DIR } from '../../src/config/load-checks';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rso-checks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const load = (dir: string) => loadChecks(dir, builtinCheckKinds(), builtinDetectors());

describe('loading checks', () => {
  test('the shipped checks load without a problem, one per kind (examples needing your systems disabled)', () => {
    const { checks, disabled, problems } = load(PACKAGED_CHECKS_DIR);
    expect(problems).toEqual([]);
    expect(new Set([...checks, ...disabled].map((c) => c.def.kind))).toEqual(new Set(builtinCheckKinds().kinds()));
  });

  test('a check with enabled: false is validated but not run', () => {
    const dir = dirWith({ 'on.yaml': 'kind: volume\nevent_type: impression\n', 'off.yaml': 'kind: volume\nevent_type: impression\nenabled: false\n', 'bad.yaml': 'kind: volume\nevent_type: impresion\nenabled: false\n' });
    const { checks, disabled, problems } = load(dir);
    expect(checks.map((c) => c.def.name)).toEqual(['on']);
    expect(disabled.map((c) => c.def.name)).toEqual(['off']);
    expect(problems.map((p) => p.file.slice(dir.length + 1))).toEqual(['bad.yaml']);
  });

  test('defaults are filled and the name defaults to the file name', () => {
    const dir = dirWith({ 'imp.yaml': 'kind: volume\nevent_type: impression\n' });
    const { checks, problems } = load(dir);
    expect(problems).toEqual([]);
    expect(checks[0].def).toMatchObject({ name: 'imp', window: 300_000, for: 1, severity: 'warning', detector: { kind: 'robust-zscore' } });
  });

  test('each problem names the file, the path inside it with its line, and what was expected', () => {
    const dir = dirWith({
      'a.yaml': 'name: a\nkind: volume\nevent_type: impresion\nwindow: 5 minutes\n',
      'b.yaml': 'name: b\nkind: volume\nevent_type: impression\ndetector:\n  kind: robust-zscore\n  params:\n    threshhold: 4\n',
      'c.yaml': 'name: c\nkind: nope\n',
      'd.yaml': 'name: d\nkind: volume\nevent_type: impression\ndetector: {kind: magic}\n',
      'e.yaml': 'name: e\nkind: volume\nevent_type: [unclosed\n',
    });
    const { checks, problems } = load(dir);
    expect(checks).toEqual([]);
    const text = problems.map((p) => `${p.file.slice(dir.length + 1)}: ${p.path}: ${p.message}`);
    // every file reported, not only the first
    expect(new Set(problems.map((p) => p.file.slice(dir.length + 1)))).toEqual(new Set(['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml']));
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a\.yaml: event_type \(line 3\): .*impression/),
        expect.stringMatching(/^a\.yaml: window \(line 4\): invalid duration "5 minutes"/),
        expect.stringMatching(/^b\.yaml: detector\.params \(line 7\): unknown key "threshhold"/),
        expect.stringMatching(/^c\.yaml: kind \(line 2\): unknown check kind "nope"; available: .*volume/),
        expect.stringMatching(/^d\.yaml: detector\.kind \(line 4\): unknown detector "magic"; available: .*robust-zscore/),
        expect.stringMatching(/^e\.yaml: line \d+, column \d+: Flow sequence .*[^:]$/),
      ]),
    );
  });

  test('a cron schedule that does not parse is reported', () => {
    const dir = dirWith({ 'f.yaml': 'kind: freshness\nevent_type: impression\nschedule: "every minute"\ndetector: {kind: threshold, params: {max: 60}}\n' });
    const { problems } = load(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('schedule (line 3)');
    expect(problems[0].message).toMatch(/cron expression/);
  });

  test('two checks with one name are refused', () => {
    const dir = dirWith({ 'x.yaml': 'name: same\nkind: volume\nevent_type: item\n', 'y.yaml': 'name: same\nkind: volume\nevent_type: item\n' });
    const { problems } = load(dir);
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/already used by .*x\.yaml/) })]);
  });

  test('an empty or missing directory is a problem, not an empty set of checks', () => {
    expect(load(dirWith({})).problems[0].message).toMatch(/no check files/);
    expect(load('/nonexistent/checks').problems[0].message).toMatch(/cannot read checks directory/);
  });

  test('loaded checks are frozen', () => {
    const { checks } = load(PACKAGED_CHECKS_DIR);
    expect(Object.isFrozen(checks[0].def)).toBe(true);
    expect(Object.isFrozen(checks[0].def.labels)).toBe(true);
  });
});
