import type { RecEvent } from '../../src/events/contract';

/**
 * assertEventContract checks one event against the design's event contract by hand, independently
 * of src/events/decode.ts: required fields, their types, and the serving invariants. It returns the
 * problems found (empty when the event is valid) so a test can report them all at once.
 */
export function contractProblems(e: RecEvent): string[] {
  const o = e as unknown as Record<string, unknown>;
  const p: string[] = [];
  const str = (k: string, optional = false) => {
    if (o[k] === undefined && optional) return;
    if (typeof o[k] !== 'string' || (o[k] as string).length === 0) p.push(`${e.type}.${k} must be a non-empty string`);
  };
  const num = (k: string, optional = false) => {
    if (o[k] === undefined && optional) return;
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) p.push(`${e.type}.${k} must be a finite number`);
  };
  const ts = (k: string) => {
    num(k);
    if (typeof o[k] === 'number' && !Number.isInteger(o[k])) p.push(`${e.type}.${k} must be epoch ms (an integer)`);
  };
  const features = (v: unknown, where: string) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return p.push(`${where} must be an object`);
    for (const [k, f] of Object.entries(v)) {
      if (f !== null && !['number', 'string', 'boolean'].includes(typeof f)) p.push(`${where}.${k} has type ${typeof f}`);
      if (typeof f === 'number' && !Number.isFinite(f)) p.push(`${where}.${k} is not finite`);
    }
  };
  ts('ts');
  switch (e.type) {
    case 'impression':
      str('request_id'), str('user_id'), str('item_id'), num('score'), str('model_version'), str('surface', true);
      if (!Number.isInteger(e.position) || e.position < 0) p.push('impression.position must be an integer ≥ 0');
      break;
    case 'engagement':
      str('user_id'), str('item_id'), str('action'), str('request_id', true), num('value', true);
      break;
    case 'serving':
      str('request_id'), str('user_id'), str('model_version'), num('latency_ms'), str('surface', true);
      features(e.context, 'serving.context');
      if (!Array.isArray(e.candidates) || e.candidates.length === 0) p.push('serving.candidates must be a non-empty array');
      else e.candidates.forEach((c, i) => {
        if (typeof c.item_id !== 'string' || !c.item_id) p.push(`serving.candidates[${i}].item_id missing`);
        features(c.features, `serving.candidates[${i}].features`);
      });
      if (!Array.isArray(e.scores) || e.scores.length !== e.candidates?.length) p.push('serving.scores must align with candidates');
      else if (!e.scores.every((s) => typeof s === 'number' && Number.isFinite(s))) p.push('serving.scores must be finite numbers');
      break;
    case 'item':
      str('item_id'), ts('launch_ts'), str('cohort', true);
      break;
    default:
      p.push(`unknown type ${(o as { type?: unknown }).type}`);
  }
  return p;
}
