import { z } from 'zod';
import { Registry } from '../registry';
import type { Detector, DetectorPlugin } from './detector';
import { DetectorParamsError, paramsProblems } from './params-error';
import { cusumDetector } from './cusum';
import { rateOfChangeDetector } from './rate-of-change';
import { robustZscoreDetector } from './robust-zscore';
import { seasonalDetector } from './seasonal';
import { seasonalZscoreDetector } from './seasonal-zscore';
import { thresholdDetector } from './threshold';

export type { Detector, DetectorPlugin, DetectorResult, Direction, ExpectedBand } from './detector';
export { DetectorParamsError, type DetectorParamsProblem } from './params-error';
export { formatDuration, parseDuration } from './duration';

/** DEFAULT_DETECTOR: used by checks without a `detector:` and by `recsysops backtest`. */
export const DEFAULT_DETECTOR = 'robust-zscore';

/**
 * builtinDetectors lists the built-in detector kinds explicitly (no registration by import side
 * effect), in a fresh Registry each call so tests and daemons never share one.
 */
export function builtinDetectors(): Registry<DetectorPlugin<any>> {
  return new Registry<DetectorPlugin<any>>('detector', [
    thresholdDetector,
    robustZscoreDetector,
    rateOfChangeDetector,
    seasonalZscoreDetector,
    seasonalDetector,
    cusumDetector,
  ]);
}

/**
 * createDetector parses rawParams with the kind's schema (filling defaults) and creates the
 * detector. An unknown kind throws UnknownKindError listing the kinds; invalid params throw
 * DetectorParamsError (`RSO_ERR_DETECTOR_PARAMS`) with one `params.<path>: <message>` per problem.
 */
export function createDetector(
  kind: string,
  rawParams: unknown = {},
  registry: Registry<DetectorPlugin<any>> = builtinDetectors(),
): Detector {
  const plugin = registry.get(kind);
  const parsed = plugin.params.safeParse(rawParams ?? {});
  if (!parsed.success) throw new DetectorParamsError(kind, paramsProblems(parsed.error, paramKeys(plugin)));
  return plugin.create(parsed.data);
}

/** paramKeys: the parameter names a plugin's schema knows, for "did you mean" hints. */
export function paramKeys(plugin: DetectorPlugin<any>): string[] {
  const schema = plugin.params as unknown as { shape?: Record<string, unknown> };
  return schema instanceof z.ZodObject && schema.shape ? Object.keys(schema.shape) : [];
}
