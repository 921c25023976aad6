import type { Candidate, EventType, Features, RecEvent, ServingEvent } from './contract';

/** Why a record was rejected; the `reason` label of recsysops_events_malformed_total. */
export type MalformedReason =
  | 'invalid_json'
  | 'not_object'
  | 'unknown_type'
  | 'missing_field'
  | 'wrong_type'
  | 'invalid_timestamp'
  | 'oversized';

export type DecodeResult =
  | { ok: true; event: RecEvent }
  | { ok: false; reason: MalformedReason; detail: string; type?: string };

export interface DecodeOptions {
  /** records longer than this many bytes are rejected before parsing */
  maxBytes?: number;
  /** reads every feature value of a serving event anyway: checks them on its way (FeatureWalker) */
  features?: FeatureWalker;
}

/**
 * FeatureWalker: something that reads every feature value of each serving event (the feature checks'
 * shared walk, ServingFeatures). Decoding hands it the decoded event instead of reading the values
 * itself, so each value is read once (a fractional number read out of a parsed object is a new box,
 * 20 MB per 300 000 events of the bench). `walk` returns where a value that is no feature value sits
 * (object -1: the context, i: candidate i's features), and then keeps nothing of the event.
 */
export interface FeatureWalker {
  walk(e: ServingEvent): { object: number; key: string } | undefined;
}

// Epoch-ms bounds that catch seconds-instead-of-milliseconds and garbage: 2000-01-01 .. 2100-01-01.
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

class Invalid extends Error {
  constructor(readonly reason: MalformedReason, detail: string) {
    super(detail);
  }
}

/**
 * decodeEvent checks one record against the event contract by hand (not with a schema library):
 * it runs for every event on the hot path, and a hand-written check is several times faster.
 * `bytes`: the size of a string payload in bytes, when known (else its length counts).
 */
export function decodeEvent(payload: string | Buffer | object, opts: DecodeOptions = {}, bytes?: number): DecodeResult {
  const r = decodeRecord(payload, opts, bytes);
  return r instanceof Rejection ? r : { ok: true, event: r };
}

/** Rejection: why a record is not an event (the failure of DecodeResult). */
export class Rejection {
  readonly ok = false as const;
  constructor(
    readonly reason: MalformedReason,
    readonly detail: string,
    readonly type?: EventType,
  ) {}
}

/**
 * decodeRecord is decodeEvent for the hot path: the event itself, or a Rejection, with no result
 * object around every event.
 */
export function decodeRecord(payload: string | Buffer | object, opts: DecodeOptions = {}, bytes?: number): RecEvent | Rejection {
  let raw: unknown = payload;
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    const size = bytes ?? (typeof payload === 'string' ? payload.length : payload.byteLength);
    if (opts.maxBytes !== undefined && size > opts.maxBytes) return tooLarge(size, opts.maxBytes);
    try {
      raw = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    } catch (err) {
      return new Rejection('invalid_json', (err as Error).message);
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return new Rejection('not_object', 'an event must be a JSON object');
  }
  const o = raw as Record<string, unknown>;
  const type = o.type;
  try {
    switch (type) {
      case 'impression':
        if (plainImpression(o)) return o as unknown as RecEvent;
        return {
          type,
          ts: ts(o, 'ts'),
          request_id: str(o, 'request_id'),
          user_id: str(o, 'user_id'),
          item_id: str(o, 'item_id'),
          position: position(o),
          score: num(o, 'score'),
          model_version: str(o, 'model_version'),
          surface: optStr(o, 'surface'),
        };
      case 'engagement':
        if (plainEngagement(o)) return o as unknown as RecEvent;
        return {
          type,
          ts: ts(o, 'ts'),
          user_id: str(o, 'user_id'),
          item_id: str(o, 'item_id'),
          action: str(o, 'action'),
          request_id: optStr(o, 'request_id'),
          value: o.value === undefined || o.value === null ? undefined : num(o, 'value'),
        };
      case 'serving':
        return serving(o, opts.features);
      case 'item':
        return {
          type,
          ts: ts(o, 'ts'),
          item_id: str(o, 'item_id'),
          launch_ts: ts(o, 'launch_ts'),
          cohort: optStr(o, 'cohort'),
          attributes: o.attributes === undefined ? undefined : obj(o, 'attributes'),
        };
      default:
        return new Rejection('unknown_type', type === undefined ? 'missing "type"' : `unknown type ${JSON.stringify(type)}`);
    }
  } catch (err) {
    if (err instanceof Invalid) return new Rejection(err.reason, `${type}: ${err.message}`, type as EventType);
    throw err;
  }
}

// An event that is already in its decoded form (ids are non-empty strings, times epoch milliseconds,
// no null in an optional field) is returned as JSON.parse built it: copying it into a new object
// doubled what decoding allocates (80 MB more garbage per 300k events than the parse). Its extra
// fields stay on it; the checks read only the contract's, and a sample kept as evidence is trimmed
// to the contract (contractServing). Anything else takes the normalising copy below, which also
// names what is wrong.
const isId = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isTs = (v: unknown): boolean => typeof v === 'number' && v >= MIN_TS && v <= MAX_TS;
const isFiniteNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);

function plainImpression(o: Record<string, unknown>): boolean {
  const p = o.position;
  return isTs(o.ts) && isId(o.request_id) && isId(o.user_id) && isId(o.item_id) && typeof p === 'number' && Number.isInteger(p) && p >= 0 && isFiniteNumber(o.score) && isId(o.model_version) && (o.surface === undefined || isId(o.surface));
}

function plainEngagement(o: Record<string, unknown>): boolean {
  return isTs(o.ts) && isId(o.user_id) && isId(o.item_id) && isId(o.action) && (o.request_id === undefined || isId(o.request_id)) && (o.value === undefined || isFiniteNumber(o.value));
}

/**
 * contractServing: a decoded serving event with only the contract's fields (candidates: item_id and
 * features), for what leaves the process (an issue's captured inputs, replayed against the model):
 * decoding keeps a producer's extra fields on the events it did not need to copy.
 */
export function contractServing(e: ServingEvent): ServingEvent {
  return {
    type: 'serving',
    ts: e.ts,
    request_id: e.request_id,
    user_id: e.user_id,
    model_version: e.model_version,
    context: e.context,
    candidates: e.candidates.map((c) => ({ item_id: c.item_id, features: c.features })),
    scores: e.scores,
    latency_ms: e.latency_ms,
    ...(e.surface === undefined ? {} : { surface: e.surface }),
  };
}

/** tooLarge: the rejection of a record of `size` bytes over the limit (checked before decoding it) */
export function tooLarge(size: number, maxBytes: number): Rejection {
  return new Rejection('oversized', `${size} bytes > ${maxBytes}`);
}

function serving(o: Record<string, unknown>, walker: FeatureWalker | undefined): RecEvent {
  const candidates = o.candidates;
  if (candidates === undefined) throw new Invalid('missing_field', 'missing "candidates"');
  if (!Array.isArray(candidates)) throw new Invalid('wrong_type', '"candidates" must be an array');
  const scores = o.scores;
  if (scores === undefined) throw new Invalid('missing_field', 'missing "scores"');
  if (!Array.isArray(scores)) throw new Invalid('wrong_type', '"scores" must be an array of numbers');
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new Invalid('wrong_type', '"scores" must be an array of numbers');
  }
  if (scores.length !== candidates.length) {
    throw new Invalid('wrong_type', `"scores" has ${scores.length} entries for ${candidates.length} candidates`);
  }
  // A plain loop, and the `candidates[i]` path of a message built only when a candidate is bad:
  // serving events carry tens of candidates and dominate decoding time. Candidates whose ids are
  // all strings are kept as parsed (see plainImpression); otherwise each is copied, ids normalised.
  let plain = true;
  for (let i = 0; i < candidates.length; i++) {
    const c: unknown = candidates[i];
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new Invalid('wrong_type', `candidates[${i}] must be an object`);
    const cand = c as Record<string, unknown>;
    if (!isId(cand.item_id)) {
      plain = false;
      str(cand, 'item_id', `candidates[${i}].`); // throws unless a number (which the copy turns into a string)
    }
    if (walker) featuresObject(cand.features, 'candidates', i);
    else features(cand.features, 'candidates', i);
  }
  const out = plain ? (candidates as Candidate[]) : candidates.map((c: Record<string, unknown>, i) => ({ item_id: str(c, 'item_id', `candidates[${i}].`), features: c.features as Features }));
  const e: ServingEvent =
    plain && isTs(o.ts) && isId(o.request_id) && isId(o.user_id) && isId(o.model_version) && isFiniteNumber(o.latency_ms) && (o.surface === undefined || isId(o.surface))
      ? (o as unknown as ServingEvent)
      : {
          type: 'serving',
          ts: ts(o, 'ts'),
          request_id: str(o, 'request_id'),
          user_id: str(o, 'user_id'),
          model_version: str(o, 'model_version'),
          context: featuresObject(o.context, 'context'),
          candidates: out,
          scores: scores as number[],
          latency_ms: num(o, 'latency_ms'),
          surface: optStr(o, 'surface'),
        };
  if (!walker) {
    features(e.context, 'context');
    return e;
  }
  featuresObject(e.context, 'context');
  const bad = walker.walk(e);
  if (bad) throw notFeatureValue(bad.object < 0 ? 'context' : 'candidates', bad.object, bad.key);
  return e;
}

/** features checks an object of feature values; `where` (+ `[index].features`) names it in a message. */
function features(v: unknown, where: string, index = -1): Features {
  const f = featuresObject(v, where, index) as Record<string, unknown>;
  for (const k in f) {
    const x = f[k];
    if (x === null) continue;
    const t = typeof x;
    if (t !== 'number' && t !== 'string' && t !== 'boolean') throw notFeatureValue(where, index, k);
  }
  return f as Features;
}

/** featuresObject checks that v is an object (of feature values, not read here: see FeatureWalker) */
function featuresObject(v: unknown, where: string, index = -1): Features {
  if (v === undefined) throw new Invalid('missing_field', `missing "${featuresPath(where, index)}"`);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Invalid('wrong_type', `"${featuresPath(where, index)}" must be an object of features`);
  return v as Features;
}

function notFeatureValue(where: string, index: number, key: string): Invalid {
  return new Invalid('wrong_type', `"${featuresPath(where, index)}.${key}" must be a number, string, boolean or null`);
}

function featuresPath(where: string, index: number): string {
  return index < 0 ? where : `${where}[${index}].features`;
}

function present(o: Record<string, unknown>, k: string, prefix = ''): unknown {
  const v = o[k];
  if (v === undefined || v === null) throw new Invalid('missing_field', `missing "${prefix}${k}"`);
  return v;
}

function str(o: Record<string, unknown>, k: string, prefix = ''): string {
  const v = present(o, k, prefix);
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v); // numeric ids are common in logs
  throw new Invalid('wrong_type', `"${prefix}${k}" must be a non-empty string`);
}

function optStr(o: Record<string, unknown>, k: string): string | undefined {
  return o[k] === undefined || o[k] === null ? undefined : str(o, k);
}

function num(o: Record<string, unknown>, k: string): number {
  const v = present(o, k);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid('wrong_type', `"${k}" must be a finite number`);
  return v;
}

function position(o: Record<string, unknown>): number {
  const v = num(o, 'position');
  if (!Number.isInteger(v) || v < 0) throw new Invalid('wrong_type', '"position" must be an integer ≥ 0');
  return v;
}

function obj(o: Record<string, unknown>, k: string): Record<string, unknown> {
  const v = o[k];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Invalid('wrong_type', `"${k}" must be an object`);
  return v as Record<string, unknown>;
}

/** ts accepts ISO-8601 strings and epoch milliseconds (numbers or digit strings). */
function ts(o: Record<string, unknown>, k: string): number {
  const v = present(o, k);
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (typeof v === 'string') ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  else throw new Invalid('wrong_type', `"${k}" must be ISO-8601 or epoch milliseconds`);
  if (!Number.isFinite(ms)) throw new Invalid('invalid_timestamp', `"${k}" ${JSON.stringify(v)} is not a valid time`);
  if (ms < MIN_TS || ms > MAX_TS) {
    throw new Invalid('invalid_timestamp', `"${k}" ${JSON.stringify(v)} is outside 2000..2100 (seconds instead of milliseconds?)`);
  }
  return ms;
}
