import { sampleCorrelation } from 'simple-statistics';
import type { ServingEvent } from '../events/contract';
import type { ModelAdapter, ModelRequest } from '../model/protocol';
import type { Capture, Issue } from '../issues/issue';

export type Verdict = 'data' | 'model' | 'both' | 'not_reproducible' | 'inconclusive';

export interface FeatureShift {
  feature: string;
  measure: 'null_rate' | 'zero_rate';
  failing: number;
  reference: number;
}

/** DiagnosisReport: the verdict first, then the evidence behind it. Saved with the issue. */
export interface DiagnosisReport {
  issue_id: string;
  verdict: Verdict;
  explanation: string;
  reproduce: { requests: number; reproduced: number; share: number; tolerance: number } | null;
  model_versions: { failing: string | null; reference: string | null };
  /** mean rank correlation of the failing version's scores with the reference version's, on the reference inputs */
  model_agreement: number | null;
  features: FeatureShift[];
  replayed_requests: number;
  duration_ms: number;
  diagnosed_at: string;
}

export interface DiagnoseOptions {
  issue: Issue;
  capture: Capture;
  model: ModelAdapter;
  /** relative tolerance when comparing replayed and logged scores */
  tolerance?: number;
  /** a feature's null or zero rate must grow by this much (absolute) to count as broken input */
  minShift?: number;
  /** mean rank agreement below this means the two model versions rank differently */
  minAgreement?: number;
  now: () => number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * diagnoseIssue is the first, simple diagnosis: (1) replay the failing inputs through the version
 * that served them — if the scores differ from the logged ones the failure does not reproduce in
 * isolation (serving nondeterminism, a stale cache, a wrong deployment); (2) compare the failing
 * inputs' null and zero rates with the reference inputs' (data); (3) when the version changed,
 * score the reference inputs with both versions and measure how much their rankings agree (model).
 */
export async function diagnoseIssue(o: DiagnoseOptions): Promise<DiagnosisReport> {
  const started = o.now();
  const tolerance = o.tolerance ?? 1e-4;
  const failing = o.capture.failing?.events ?? [];
  const reference = o.capture.reference?.events ?? [];
  const failingVersion = majority(failing.map((e) => e.model_version));
  const referenceVersion = majority(reference.map((e) => e.model_version));
  const base = {
    issue_id: o.issue.id,
    model_versions: { failing: failingVersion, reference: referenceVersion },
    diagnosed_at: new Date(started).toISOString(),
  };
  if (!failing.length) {
    return {
      ...base,
      verdict: 'inconclusive',
      explanation: 'no serving events were captured for the failing window, so there is nothing to replay',
      reproduce: null,
      model_agreement: null,
      features: [],
      replayed_requests: 0,
      duration_ms: o.now() - started,
    };
  }
  const total = failing.length + (failingVersion && referenceVersion && failingVersion !== referenceVersion ? 2 * reference.length : 0);
  let done = 0;
  const progress = (n: number) => o.onProgress?.((done += n), total);

  // 1. Reproduce: each version's requests through that version.
  let reproduced = 0;
  for (const [version, events] of groupBy(failing, (e) => e.model_version)) {
    const responses = await o.model.score(events.map(toRequest), version);
    events.forEach((e, i) => {
      if (sameScores(e.scores, responses[i].scores, tolerance)) reproduced++;
    });
    progress(events.length);
  }
  const reproduce = { requests: failing.length, reproduced, share: reproduced / failing.length, tolerance };

  // 2. Input evidence.
  const features = reference.length ? featureShifts(failing, reference).filter((f) => f.failing - f.reference >= (o.minShift ?? 0.1)) : [];

  // 3. Model evidence.
  let agreement: number | null = null;
  if (failingVersion && referenceVersion && failingVersion !== referenceVersion && reference.length) {
    const requests = reference.map(toRequest);
    const current = await o.model.score(requests, failingVersion);
    progress(requests.length);
    const good = await o.model.score(requests, referenceVersion);
    progress(requests.length);
    const corr = current.map((r, i) => rankCorrelation(r.scores, good[i].scores)).filter((c) => Number.isFinite(c));
    agreement = corr.length ? corr.reduce((a, b) => a + b, 0) / corr.length : null;
  }
  const modelChanged = agreement !== null && agreement < (o.minAgreement ?? 0.5);

  let verdict: Verdict;
  let explanation: string;
  if (reproduce.share < 0.8) {
    verdict = 'not_reproducible';
    explanation = `only ${pct(reproduce.share)} of the captured requests give the logged scores when replayed through the version that served them: the model is not at fault in isolation — suspect serving (a stale cache, nondeterminism, a different build deployed)`;
  } else if (features.length && modelChanged) {
    verdict = 'both';
    explanation = `the inputs changed (${features.map(describeShift).join('; ')}) and version ${failingVersion} ranks differently from ${referenceVersion} on healthy inputs (agreement ${agreement!.toFixed(2)})`;
  } else if (features.length) {
    verdict = 'data';
    explanation = `the failing inputs differ from the healthy reference: ${features.map(describeShift).join('; ')}`;
  } else if (modelChanged) {
    verdict = 'model';
    explanation = `the inputs look like the reference, but version ${failingVersion} ranks the healthy reference inputs unlike ${referenceVersion} (rank agreement ${agreement!.toFixed(2)})`;
  } else {
    verdict = 'inconclusive';
    explanation = 'the failure reproduces, but neither the inputs nor the model version changed measurably between the reference and the failing window';
  }
  return { ...base, verdict, explanation, reproduce, model_agreement: agreement, features, replayed_requests: total, duration_ms: o.now() - started };
}

function toRequest(e: ServingEvent): ModelRequest {
  return { request_id: e.request_id, user_id: e.user_id, context: e.context, candidates: e.candidates };
}

function sameScores(logged: number[], replayed: number[], tol: number): boolean {
  return logged.length === replayed.length && logged.every((s, i) => Math.abs(s - replayed[i]) <= tol * Math.max(1, Math.abs(s)));
}

/** featureShifts: per candidate feature, the null and zero rates in both samples. */
export function featureShifts(failing: ServingEvent[], reference: ServingEvent[]): FeatureShift[] {
  const rates = (events: ServingEvent[]) => {
    const counts = new Map<string, { n: number; nulls: number; zeros: number }>();
    for (const e of events) {
      for (const c of e.candidates) {
        for (const [k, v] of Object.entries(c.features)) {
          let r = counts.get(k);
          if (!r) counts.set(k, (r = { n: 0, nulls: 0, zeros: 0 }));
          r.n++;
          if (v === null) r.nulls++;
          else if (v === 0) r.zeros++;
        }
      }
    }
    return counts;
  };
  const f = rates(failing);
  const r = rates(reference);
  const out: FeatureShift[] = [];
  for (const name of new Set([...f.keys(), ...r.keys()])) {
    const a = f.get(name);
    const b = r.get(name);
    for (const measure of ['null_rate', 'zero_rate'] as const) {
      const key = measure === 'null_rate' ? 'nulls' : 'zeros';
      out.push({ feature: name, measure, failing: a ? a[key] / a.n : 1, reference: b ? b[key] / b.n : 0 });
    }
  }
  return out.sort((x, y) => y.failing - y.reference - (x.failing - x.reference));
}

function rankCorrelation(a: number[], b: number[]): number {
  if (a.length < 3) return NaN;
  const ranks = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  return sampleCorrelation(ranks(a), ranks(b));
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function majority(xs: string[]): string | null {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, n] of counts) if (best === null || n > counts.get(best)!) best = k;
  return best;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const describeShift = (f: FeatureShift) => `${f.feature} ${f.measure.replace('_', ' ')} ${pct(f.reference)} → ${pct(f.failing)}`;
