import { Registry } from '../registry';
import type { CheckKind } from './kind';
import { volumeKind } from './volume';
import { engagementRateKind } from './engagement-rate';
import { featureQualityKind } from './feature-quality';
import { latencyKind } from './latency';
import { coldStartKind } from './cold-start';
import { freshnessKind } from './freshness';
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
    featureDriftKind,
    scoreDriftKind,
  ]);
}
