import { builtinCheckKinds } from '../check-kinds';
import type { CheckDefinition, CheckKind } from '../check-kinds/kind';
import { YamlFile } from '../config/yaml-file';
import { ConfigError } from '../errors';
import type { Registry } from '../registry';
import { builtinDetectors } from '../detectors';
import type { DetectorPlugin } from '../detectors/detector';

/** CheckDetector: the detector a check file configures, as `recsysops backtest --check` uses it. */
export interface CheckDetector {
  check: string;
  kind: string;
  params: Record<string, unknown>;
}

/**
 * detectorOfCheck reads one check YAML file and returns its detector kind and raw params (the
 * detector's schema fills defaults later). The whole file is validated against its check kind, so a
 * backtest never runs a detector from a check the daemon would refuse; problems name file and path.
 */
export function detectorOfCheck(
  file: string,
  kinds: Registry<CheckKind<any>> = builtinCheckKinds(),
  detectors: Registry<DetectorPlugin<any>> = builtinDetectors(),
): CheckDetector {
  const y = new YamlFile(file);
  if (y.problems.length) throw new ConfigError(y.problems);
  const data = y.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([{ file, path: '', message: 'expected a mapping with the check definition (name, kind, detector, …)' }]);
  }
  const raw = data as Record<string, unknown>;
  if (typeof raw.kind !== 'string' || !kinds.has(raw.kind)) {
    throw new ConfigError([{ file, path: y.where(['kind']), message: `expected a check kind, one of: ${kinds.kinds().join(', ')}` }]);
  }
  const parsed = kinds.get(raw.kind).schema.safeParse({ name: 'check', ...raw });
  if (!parsed.success) throw new ConfigError(y.problemsOf(parsed.error));
  const def = parsed.data as CheckDefinition;
  // the detector's params are checked here too, so a mistake names the check file and its line
  if (!detectors.has(def.detector.kind)) {
    throw new ConfigError([{ file, path: y.where(['detector', 'kind']), message: `unknown detector "${def.detector.kind}"; available: ${detectors.kinds().join(', ')}` }]);
  }
  const params = detectors.get(def.detector.kind).params.safeParse(def.detector.params);
  if (!params.success) throw new ConfigError(y.problemsOf(params.error, ['detector', 'params']));
  return { check: def.name, kind: def.detector.kind, params: { ...def.detector.params } };
}
