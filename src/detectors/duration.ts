import { z } from 'zod';
import { RecsysopsError } from '../errors';

/** DURATION_UNITS: milliseconds per unit, for the units a user writes in a check (`5m`, `1h`, `1d`, `1w`). */
export const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * parseDuration turns `500ms`, `30s`, `5m`, `1h30m`, `1d` or `1w` into milliseconds. A plain number
 * (or a string of digits) already is milliseconds. Anything else throws a RecsysopsError
 * (`RSO_ERR_DURATION_INVALID`) that shows the bad input and what would have been accepted, because
 * a silently misread period would quietly make a seasonal baseline compare the wrong hours.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw invalid(String(input));
  }
  const s = input.trim();
  if (PLAIN_NUMBER.test(s)) return Number(s);
  if (!WHOLE.test(s)) throw invalid(input);
  let total = 0;
  for (const part of s.matchAll(PART)) total += Number(part[1]) * DURATION_UNITS[part[2]];
  return total;
}

function invalid(input: string): RecsysopsError {
  return new RecsysopsError(
    'RSO_ERR_DURATION_INVALID',
    `invalid duration "${input}": expected milliseconds (e.g. 300000) or a number with a unit ms, s, m, h, d or w (e.g. 5m, 1h30m, 1d)`,
  );
}

/** formatDuration prints milliseconds the way a user would write them (300000 → `5m`, 5400000 → `1h30m`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / DURATION_UNITS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * DURATION_UNITS[unit];
    }
  }
  return rest > 0 ? `${out}${rest}ms` : out;
}

/**
 * durationParam is the zod schema of a duration parameter: a string like `1d` or milliseconds,
 * parsed into a positive number of milliseconds, so a typo is reported at its params path.
 */
export const durationParam = z.union([z.number(), z.string()]).transform((v, ctx) => {
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
  if (ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `duration must be positive, got "${v}"` });
    return z.NEVER;
  }
  return ms;
});
