import { Registry } from '../registry';
import type { CheckKind } from './kind';
import { volumeKind } from './volume';
import { engagementRateKind } from './engagement-rate';
import { featureQualityKind } from './feature-quality';
import { latencyKind } from './latency';
import { coldStartKind } from './cold-start';
import { freshnessKind } from './freshness';
import { engagedRankKind } from './engaged-rank';
import { catalogCoverageKind } from './catalog-coverage';
import { popularityConcentrationKind } from './popularity-concentration';
import { slateSizeKind } from './slate-size';
import { modelVersionMixKind } from './model-version-mix';
import { queryCheckKinds } from './query';
import { launchCurveKind } from './cold-start-launch-curve';
import { newItemShareKind } from './cold-start-new-item-share';
import { launchForecastKind } from './cold-start-launch-forecast';
import { duplicateRateKind } from './duplicate-rate';
import { featureDriftKind } from './feature-drift';
import { scoreDriftKind } from './score-drift';

/** builtinCheckKinds lists every check kind explicitly; a test checks each has a shipped example. */
export function builtinCheckKinds(): Registry<CheckKind<any>> {
  return new Registry<CheckKind<any>>('check kind', [
    volumeKind,
    engagementRateKind,
    featureQualityKind,
    latencyKind,
    coldStartKind,
    freshnessKind,
    engagedRankKind,
    catalogCoverageKind,
    popularityConcentrationKind,
    slateSizeKind,
    modelVersionMixKind,
    ...queryCheckKinds,
    launchCurveKind,
    newItemShareKind,
    launchForecastKind,
    duplicateRateKind,
    featureDriftKind,
    scoreDriftKind,
  ]);
}
