import type { ServingEvent } from '../events/contract';
import { mulberry32 } from '../util/prng';
import type { ModelAdapter, ModelRequest } from '../model/protocol';
import type { Capture, Issue } from '../issues/issue';
import { featureUnits, shapley, swapFeatures } from './attribution';
import { cellHealth, ksDistance, type CellHealth } from './health';
import { featureShifts, inputEvidence, shiftOf, type FeatureEvidence, type FeatureShift } from './inputs';
import { verdictOf, type SwapCells, type Verdict } from './verdict';

export type { Verdict } from './verdict';
export type { FeatureShift } from './inputs';

export type SwapCell = CellHealth & { requests: number; version: string; bad: boolean };

export interface AttributionEntry {
  /** a feature or a prefix group (`item_emb_*`) */
  unit: string;
  features: string[];
  /** share of the failing cell's health gap closed by swapping this unit alone from reference values */
  restored: number;
  /** its sampled Shapley share when units interact, else null */
  shapley: number | null;
  /** the input evidence of the unit's most shifted feature */
  evidence: { null_rate: [number, number]; zero_rate: [number, number]; psi: number } | null;
}

/** DiagnosisReport: the verdict first, then the evidence behind it. Saved with the issue. */
export interface DiagnosisReport {
  issue_id: string;
  verdict: Verdict;
  explanation: string;
  /** the check's own health value when the issue opened */
  check_health: Capture['health'] | null;
  reproduce: { requests: number; reproduced: number; share: number; tolerance: number } | null;
  /** failing = the current version (the one under suspicion), reference = the last known good one */
  model_versions: { failing: string | null; reference: string | null };
  /** mean rank correlation of the current version with the good one on the reference inputs */
  model_agreement: number | null;
  /** the 2×2 swap experiment; health 0 = like the reference outputs, 1 = nothing alike */
  swap: (SwapCells<SwapCell> & { threshold: number; noise_floor: number; metric: string }) | null;
  /** quality rates that grew in the failing inputs (null, zero, type violations) */
  features: FeatureShift[];
  /** per-feature evidence (rates, out-of-range, PSI drift), most shifted first */
  inputs: FeatureEvidence[];
  attribution: { method: string; requests: number; baseline_health: number; entries: AttributionEntry[] } | null;
  replayed_requests: number;
  duration_ms: number;
  diagnosed_at: string;
}

export interface DiagnoseOptions {
  issue: Issue;
  capture: Capture;
  model: ModelAdapter;
  /** relative tolerance when comparing replayed and logged scores (default 1e-4) */
  tolerance?: number;
  /** a quality rate must grow by this much (absolute) to be named as input evidence (default 0.1) */
  minShift?: number;
  /** a cell whose health value is at least this (and 3× the noise floor) is bad (default 0.2) */
  badThreshold?: number;
  /** failing requests used for attribution (default 200) */
  attributionRequests?: number;
  /** units that enter the Shapley estimate (default 6) and permutations sampled (default 12) */
  shapleyUnits?: number;
  shapleyPermutations?: number;
  now: () => number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * diagnoseIssue replays an issue's captured inputs in isolation:
 * 1. reproduce — the failing requests through the version that served each; logged vs replayed scores;
 * 2. swap — {failing, reference inputs} × {current, last good model}, each cell scored by its health
 *    (KS distance of its scores to the reference outputs, and rank disagreement with the good model);
 * 3. inputs — null / zero / type / out-of-range rates and PSI of each feature, failing vs reference;
 * 4. attribution — swap each feature (group) from reference values into the failing inputs and
 *    measure how much health comes back; a sampled Shapley estimate when the units interact.
 */
export async function diagnoseIssue(o: DiagnoseOptions): Promise<DiagnosisReport> {
  const started = o.now();
  const tolerance = o.tolerance ?? 1e-4;
  const failing = o.capture.failing?.events ?? [];
  const reference = o.capture.reference?.events ?? [];
  const good = majority(reference.map((e) => e.model_version));
  const current = currentVersion(failing, good);
  const inputs = reference.length && failing.length ? inputEvidence(failing, reference) : [];
  const features = featureShifts(inputs, o.minShift ?? 0.1);
  const base = {
    issue_id: o.issue.id,
    check_health: o.capture.health ?? null,
    model_versions: { failing: current, reference: good },
    features,
    inputs: inputs.filter((e) => shiftOf(e) > 0.01 || e.psi > 0.1).slice(0, 30),
    diagnosed_at: new Date(started).toISOString(),
  };
  let replayed = 0;
  let planned = failing.length;
  const progress = (n: number) => {
    replayed += n;
    o.onProgress?.(replayed, Math.max(planned, replayed));
  };
  const score = async (reqs: ModelRequest[], version: string) => {
    const r = await o.model.score(reqs, version);
    progress(reqs.length);
    return r.map((x) => x.scores);
  };
  const finish = (verdict: Verdict, explanation: string, rest: Partial<DiagnosisReport>): DiagnosisReport => ({
    ...base,
    verdict,
    explanation,
    reproduce: null,
    model_agreement: null,
    swap: null,
    attribution: null,
    ...rest,
    replayed_requests: replayed,
    duration_ms: o.now() - started,
  });
  if (!failing.length) return finish('inconclusive', 'no serving events were captured for the failing window, so there is nothing to replay', {});

  // 1. Reproduce: each request through the version that served it.
  const failingReqs = failing.map(toRequest);
  const referenceReqs = reference.map(toRequest);
  const versionChanged = !!good && current !== good;
  planned = failing.length * (versionChanged ? 2 : 1) + reference.length * (versionChanged ? 2 : 1);
  const served: number[][] = new Array(failing.length);
  let reproduced = 0;
  for (const [version, idx] of groupIndex(failing, (e) => e.model_version)) {
    const s = await score(idx.map((i) => failingReqs[i]), version);
    idx.forEach((i, k) => {
      served[i] = s[k];
      if (sameScores(failing[i].scores, s[k], tolerance)) reproduced++;
    });
  }
  const reproduce = { requests: failing.length, reproduced, share: reproduced / failing.length, tolerance };
  if (reproduce.share < 0.8) {
    return finish(
      'not_reproducible',
      `only ${pct(reproduce.share)} of the captured requests give the logged scores when replayed through the version that served them: the model is not at fault in isolation — suspect serving (a stale cache, nondeterminism, a different build deployed)`,
      { reproduce },
    );
  }
  if (!reference.length || !good) {
    return finish('inconclusive', 'the failure reproduces, but no healthy reference window was captured before the incident to compare with', { reproduce });
  }

  // 2. The 2×2 swap experiment.
  const scoreAs = async (version: string) => {
    const missing = failing.map((e, i) => i).filter((i) => failing[i].model_version !== version);
    const out = failing.map((e, i) => (e.model_version === version ? served[i] : []));
    if (missing.length) (await score(missing.map((i) => failingReqs[i]), version)).forEach((s, k) => (out[missing[k]] = s));
    return out;
  };
  const fc = await scoreAs(current!);
  const fg = versionChanged ? await scoreAs(good) : fc;
  const rg = await score(referenceReqs, good);
  const rc = versionChanged ? await score(referenceReqs, current!) : rg;
  const refOut = rg.flat();
  const floor = noiseFloor(rg);
  const threshold = Math.max(o.badThreshold ?? 0.2, 3 * floor);
  const cell = (scores: number[][], version: string, goodScores?: number[][]): SwapCell => {
    const h = cellHealth(scores, refOut, goodScores);
    return { ...h, requests: scores.length, version, bad: h.value >= threshold };
  };
  const swap = {
    failing_current: cell(fc, current!, versionChanged ? fg : undefined),
    failing_good: cell(fg, good),
    reference_current: cell(rc, current!, versionChanged ? rg : undefined),
    reference_good: cell(rg, good),
    threshold,
    noise_floor: floor,
    metric: 'max(KS distance of the scores to the reference outputs, (1 − rank correlation with the last good model) / 2)',
  };
  const agreement = versionChanged ? swap.reference_current.agreement : null;
  const verdict = verdictOf({
    reproducedShare: reproduce.share,
    bad: { failing_current: swap.failing_current.bad, failing_good: swap.failing_good.bad, reference_current: swap.reference_current.bad, reference_good: swap.reference_good.bad },
  });

  // 4. Attribution, when the failing inputs carry damage.
  let attribution: DiagnosisReport['attribution'] = null;
  if (verdict === 'data' || verdict === 'both' || verdict === 'inconclusive') {
    attribution = await attribute(o, failingReqs, referenceReqs, current!, refOut, inputs, (n) => {
      planned += n;
    }, score);
  }
  return finish(verdict, explain(verdict, swap, features, attribution, current!, good, agreement), { reproduce, swap, model_agreement: agreement, attribution });
}

async function attribute(
  o: DiagnoseOptions,
  failingReqs: ModelRequest[],
  referenceReqs: ModelRequest[],
  version: string,
  refOut: number[],
  inputs: FeatureEvidence[],
  plan: (n: number) => void,
  score: (reqs: ModelRequest[], version: string) => Promise<number[][]>,
): Promise<DiagnosisReport['attribution']> {
  const n = Math.min(failingReqs.length, o.attributionRequests ?? 200);
  const sample = evenly(failingReqs, n);
  const units = featureUnits(inputs.map((e) => e.feature));
  if (!units.length) return null;
  const cache = new Map<string, Promise<number>>();
  const health = (members: number[]) => {
    const key = members.join(',');
    let p = cache.get(key);
    if (!p) {
      const feats = members.flatMap((m) => units[m].features);
      p = (members.length ? score(swapFeatures(sample, referenceReqs, feats), version) : score(sample, version)).then((s) => ksDistance(s.flat(), refOut));
      cache.set(key, p);
    }
    return p;
  };
  plan(n * (units.length + 1));
  const h0 = await health([]);
  const restored: number[] = [];
  for (let i = 0; i < units.length; i++) restored.push(h0 > 0 ? (h0 - (await health([i]))) / h0 : 0);
  // Units interact when the single swaps do not add up to swapping them together: then estimate
  // Shapley shares over the strongest few units, by sampled permutations.
  const top = restored.map((r, i) => [r, i] as const).sort((a, b) => b[0] - a[0]).slice(0, Math.min(units.length, o.shapleyUnits ?? 6)).map(([, i]) => i);
  const together = h0 > 0 ? (h0 - (await health([...top].sort((a, b) => a - b)))) / h0 : 0;
  const sumSingles = top.reduce((s, i) => s + restored[i], 0);
  let method = 'single-unit swaps (the units act additively)';
  const sh = new Array<number | null>(units.length).fill(null);
  if (top.length > 1 && Math.abs(together - sumSingles) > 0.1) {
    const perms = o.shapleyPermutations ?? 12;
    plan(n * perms * top.length);
    const r = await shapley(top.length, async (m) => (h0 > 0 ? (h0 - (await health(m.map((k) => top[k]).sort((a, b) => a - b)))) / h0 : 0), { permutations: perms, random: mulberry32(7) });
    r.values.forEach((v, k) => (sh[top[k]] = v));
    method = `${r.exact ? 'exact' : 'sampled'} Shapley over the top ${top.length} units (${r.permutations} permutations), the units interact: singles sum to ${sumSingles.toFixed(2)}, together ${together.toFixed(2)}`;
  }
  const evidenceOf = (u: { features: string[] }) => {
    const es = inputs.filter((e) => u.features.includes(e.feature)).sort((a, b) => shiftOf(b) - shiftOf(a) || b.psi - a.psi);
    const e = es[0];
    return e ? { null_rate: [e.reference.null_rate, e.failing.null_rate] as [number, number], zero_rate: [e.reference.zero_rate, e.failing.zero_rate] as [number, number], psi: e.psi } : null;
  };
  const entries = units
    .map((u, i) => ({ unit: u.name, features: u.features, restored: restored[i], shapley: sh[i], evidence: evidenceOf(u) }))
    .sort((a, b) => (b.shapley ?? b.restored) - (a.shapley ?? a.restored) || (b.shapley === null ? 0 : 1) - (a.shapley === null ? 0 : 1) || a.unit.localeCompare(b.unit));
  return { method, requests: n, baseline_health: h0, entries };
}

function explain(verdict: Verdict, swap: NonNullable<DiagnosisReport['swap']>, features: FeatureShift[], attribution: DiagnosisReport['attribution'], current: string, good: string, agreement: number | null): string {
  const top = attribution?.entries.filter((e) => (e.shapley ?? e.restored) > 0.1).slice(0, 3).map((e) => `${e.unit} (${pct(e.shapley ?? e.restored)} restored)`) ?? [];
  const shifted = features.slice(0, 4).map((f) => `${f.feature} ${f.measure.replace(/_/g, ' ')} ${pct(f.reference)} → ${pct(f.failing)}`);
  const inputs = [top.length ? `swapping in healthy values restores most: ${top.join(', ')}` : '', shifted.length ? `inputs changed: ${shifted.join('; ')}` : ''].filter(Boolean).join('; ');
  const h = (c: SwapCell) => c.value.toFixed(2);
  switch (verdict) {
    case 'data':
      return `the failing inputs look bad under the last good model ${good} too (health ${h(swap.failing_good)}), while the healthy inputs look fine under ${current} (${h(swap.reference_current)})${inputs ? ` — ${inputs}` : ''}`;
    case 'model':
      return `version ${current} misbehaves on the healthy reference inputs (health ${h(swap.reference_current)}${agreement !== null ? `, rank agreement with ${good} ${agreement.toFixed(2)}` : ''}), while the last good model ${good} handles the failing inputs fine (${h(swap.failing_good)})`;
    case 'both':
      return `the failing inputs look bad under the last good model ${good} (health ${h(swap.failing_good)}) and ${current} misbehaves on healthy inputs (${h(swap.reference_current)})${inputs ? ` — ${inputs}` : ''}`;
    case 'not_reproducible':
      return `the replay gives the logged scores, but they look like the healthy reference (health ${h(swap.failing_current)} < ${swap.threshold.toFixed(2)}): the model's inputs and outputs do not show the failure — look downstream of the model (traffic, logging, delivery)`;
    default:
      return `only the failing inputs under ${current} look bad (health ${h(swap.failing_current)}); neither swapping the model nor the inputs alone explains it${inputs ? ` — ${inputs}` : ''}`;
  }
}

/** noiseFloor: the KS distance between two halves of the reference outputs (split by request) — what "no difference" looks like. */
function noiseFloor(rg: number[][]): number {
  if (rg.length < 4) return 0;
  return ksDistance(rg.filter((_, i) => i % 2 === 0).flat(), rg.filter((_, i) => i % 2 === 1).flat());
}

/** currentVersion: the version under suspicion — the most frequent failing version other than the good one, if it served at least 20%. */
function currentVersion(failing: ServingEvent[], good: string | null): string | null {
  const counts = new Map<string, number>();
  for (const e of failing) counts.set(e.model_version, (counts.get(e.model_version) ?? 0) + 1);
  const other = [...counts].filter(([v, n]) => v !== good && n >= 0.2 * failing.length).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return other ? other[0] : good && counts.has(good) ? good : majority(failing.map((e) => e.model_version));
}

function toRequest(e: ServingEvent): ModelRequest {
  return { request_id: e.request_id, user_id: e.user_id, context: e.context, candidates: e.candidates };
}

function sameScores(logged: number[], replayed: number[], tol: number): boolean {
  return logged.length === replayed.length && logged.every((s, i) => Math.abs(s - replayed[i]) <= tol * Math.max(1, Math.abs(s)));
}

function evenly<T>(xs: T[], n: number): T[] {
  if (n >= xs.length) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]);
}

function groupIndex<T>(xs: T[], key: (x: T) => string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  xs.forEach((x, i) => {
    const g = m.get(key(x));
    if (g) g.push(i);
    else m.set(key(x), [i]);
  });
  return m;
}

function majority(xs: string[]): string | null {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && k < best)) best = k;
  return best;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
