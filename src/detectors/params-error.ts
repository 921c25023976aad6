import type { z } from 'zod';
import { RecsysopsError } from '../errors';

/** DetectorParamsProblem is one invalid detector parameter, e.g. `{path: 'params.threshhold', …}`. */
export interface DetectorParamsProblem {
  /** dotted path from the detector's `params`, e.g. `params.window`; `params` for the whole object */
  path: string;
  message: string;
}

/**
 * DetectorParamsError (`RSO_ERR_DETECTOR_PARAMS`) lists every invalid parameter of one detector,
 * one `params.<path>: <message>` per line, so a typo like `threshhold` is reported with its place.
 */
export class DetectorParamsError extends RecsysopsError {
  readonly kind: string;
  readonly problems: DetectorParamsProblem[];
  constructor(kind: string, problems: DetectorParamsProblem[]) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    super('RSO_ERR_DETECTOR_PARAMS', `invalid params for detector "${kind}":\n${lines}`);
    this.kind = kind;
    this.problems = problems;
  }
}

/**
 * paramsProblems turns zod issues into problems with a `params.` path. An unknown key gets its own
 * path and the closest known key as a suggestion, since that is almost always a typo.
 */
export function paramsProblems(error: z.ZodError, knownKeys: readonly string[]): DetectorParamsProblem[] {
  const problems: DetectorParamsProblem[] = [];
  for (const issue of error.issues) {
    const base = ['params', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = closest(key, knownKeys);
        const hint = guess ? ` (did you mean "${guess}"?)` : knownKeys.length ? ` (known: ${knownKeys.join(', ')})` : '';
        problems.push({ path: `${base}.${key}`, message: `unknown parameter${hint}` });
      }
    } else {
      problems.push({ path: base, message: issue.message });
    }
  }
  return problems;
}

/** closest returns the known key within edit distance 2 of key, if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
