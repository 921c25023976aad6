import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Registry } from '../registry';
import type { ConfigProblem } from '../errors';
import type { CheckDefinition, CheckKind } from '../check-kinds/kind';
import type { DetectorPlugin } from '../detectors/detector';
import { YamlFile } from './yaml-file';
import { deepFreeze } from './freeze';

export interface LoadedCheck {
  def: CheckDefinition;
  kind: CheckKind<any>;
  /** the detector params after defaults */
  detectorParams: Record<string, unknown>;
  file: string;
}

/** The checks shipped with the package, used when neither --checks nor ./checks exists. */
export const PACKAGED_CHECKS_DIR = resolve(__dirname, '..', '..', 'checks');

/** resolveChecksDir: --checks, then the config's checks_dir, then ./checks, then the shipped examples. */
export function resolveChecksDir(flag: string | undefined, configured: string | undefined, cwd = process.cwd()): string {
  if (flag) return resolve(cwd, flag);
  if (configured) return configured;
  const local = resolve(cwd, 'checks');
  return existsSync(local) && statSync(local).isDirectory() ? local : PACKAGED_CHECKS_DIR;
}

/**
 * loadChecks reads every *.yaml / *.yml file of `dir` as one check, validates it against its kind's
 * schema and its detector's params, and reports every problem of every file (not just the first).
 */
export function loadChecks(
  dir: string,
  kinds: Registry<CheckKind<any>>,
  detectors: Registry<DetectorPlugin<any>>,
): { checks: LoadedCheck[]; problems: ConfigProblem[]; disabled: LoadedCheck[] } {
  const problems: ConfigProblem[] = [];
  const checks: LoadedCheck[] = [];
  const disabled: LoadedCheck[] = [];
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch (err) {
    return { checks, disabled, problems: [{ file: dir, path: '', message: `cannot read checks directory: ${(err as Error).message}` }] };
  }
  if (!files.length) problems.push({ file: dir, path: '', message: 'no check files (*.yaml) in this directory' });

  const names = new Map<string, string>();
  for (const file of files) {
    const y = new YamlFile(file);
    problems.push(...y.problems);
    if (y.problems.length) continue;
    if (y.data === null || typeof y.data !== 'object' || Array.isArray(y.data)) {
      problems.push({ file, path: '', message: 'expected a mapping with the check definition (name, kind, …)' });
      continue;
    }
    const raw: Record<string, unknown> = { name: basename(file, extname(file)), ...(y.data as Record<string, unknown>) };
    if (typeof raw.kind !== 'string') {
      problems.push({ file, path: y.where(['kind']), message: `expected a check kind, one of: ${kinds.kinds().join(', ')}` });
      continue;
    }
    if (!kinds.has(raw.kind)) {
      problems.push({ file, path: y.where(['kind']), message: `unknown check kind "${raw.kind}"; available: ${kinds.kinds().join(', ')}` });
      continue;
    }
    const kind = kinds.get(raw.kind);
    const parsed = kind.schema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...y.problemsOf(parsed.error));
      continue;
    }
    const def = parsed.data as CheckDefinition;
    if (!detectors.has(def.detector.kind)) {
      problems.push({
        file,
        path: y.where(['detector', 'kind']),
        message: `unknown detector "${def.detector.kind}"; available: ${detectors.kinds().join(', ')}`,
      });
      continue;
    }
    const params = detectors.get(def.detector.kind).params.safeParse(def.detector.params);
    if (!params.success) {
      problems.push(...y.problemsOf(params.error, ['detector', 'params']));
      continue;
    }
    const other = names.get(def.name);
    if (other) {
      problems.push({ file, path: y.where(['name']), message: `check name "${def.name}" is already used by ${other}` });
      continue;
    }
    names.set(def.name, file);
    // A disabled check is validated like any other (so a typo shows up before it is switched on) but not run.
    const loaded = deepFreeze({ def, kind, detectorParams: params.data as Record<string, unknown>, file });
    (def.enabled ? checks : disabled).push(loaded);
  }
  return { checks, problems, disabled };
}
