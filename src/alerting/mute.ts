import { parse as parseCron, validate as validCron } from 'node-cron';
import { z } from 'zod';
import { durationSchema, formatDuration } from '../config/duration';

/**
 * Mute windows: planned maintenance, holidays, a weekly batch job. While a check is muted its values
 * are still computed and exported, but not learned by the detector, and its alerts neither change
 * state nor notify (docs/alerts.md). A window is either an absolute range or a recurring one (a cron
 * expression for its start plus a duration).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** a recurring window longer than a week would mute a weekly schedule for good */
const MAX_RECURRING_MS = 7 * DAY;

const isoTime = z
  .union([z.string(), z.date()])
  .transform((v, ctx) => {
    const t = v instanceof Date ? v.getTime() : /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 time with its offset, e.g. 2026-12-24T00:00:00Z' });
      return z.NEVER;
    }
    return t;
  });

const timezoneSchema = z.string().refine(validTimezone, { message: 'expected an IANA time zone such as UTC or Europe/Berlin' });

const absoluteMute = z
  .strictObject({ from: isoTime, to: isoTime, reason: z.string().min(1).optional() })
  .refine((m) => m.to > m.from, { message: '"to" must be after "from"', path: ['to'] });

const recurringMute = z.strictObject({
  cron: z
    .string()
    .refine((s) => s.trim().split(/\s+/).length === 5 && validCron(s), {
      message: 'expected a 5-field cron expression for the start of each window, e.g. "0 2 * * 0" (Sundays 02:00)',
    })
    .refine((s) => !validCron(s) || plainFields(s), {
      message: 'L, W and # are not supported in mute windows; use numbers, ranges, lists, steps or names',
    }),
  duration: durationSchema.refine((d) => d >= MINUTE && d <= MAX_RECURRING_MS, { message: 'expected a duration from 1m to 7d' }),
  timezone: timezoneSchema.default('UTC'),
  reason: z.string().min(1).optional(),
});

export type AbsoluteMute = z.output<typeof absoluteMute>;
export type RecurringMute = z.output<typeof recurringMute>;
export type MuteWindow = AbsoluteMute | RecurringMute;

/**
 * One window: recurring when it has `cron`, absolute otherwise. Chosen by hand rather than with a
 * zod union so that a mistake is reported at its field ("mute[0].cron: …"), not as "Invalid input".
 */
const muteWindow = z.unknown().transform((v, ctx): MuteWindow => {
  const recurring = typeof v === 'object' && v !== null && 'cron' in v;
  const r = (recurring ? recurringMute : absoluteMute).safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path } as never);
  return z.NEVER;
});

/** muteSchema: the `mute:` list of a check (a common check field). */
export const muteSchema = z.array(muteWindow).default([]);

/** ActiveMute: the window that mutes an evaluation, in words for logs and the status line. */
export interface ActiveMute {
  /** start and end of this occurrence, epoch ms */
  from: number;
  to: number;
  reason: string;
}

/**
 * activeMute returns the first mute window that overlaps the evaluated span [start, end) (a closed
 * event-time window, or [at, at+1) for a scheduled check), or undefined. Overlap rather than "end
 * inside the window" because a streaming window evaluated at 04:00 holds 03:50–04:00 data: if
 * maintenance ran until 04:00, that window saw it.
 */
export function activeMute(mutes: readonly MuteWindow[], start: number, end: number): ActiveMute | undefined {
  for (const m of mutes) {
    if ('from' in m) {
      if (m.from < end && start < m.to) return { from: m.from, to: m.to, reason: m.reason ?? `muted until ${new Date(m.to).toISOString()}` };
      continue;
    }
    // an occurrence starting at s overlaps [start, end) iff s < end and s + duration > start
    const s = lastCronStart(m, end - 1, m.duration + (end - start));
    if (s !== undefined && s + m.duration > start) {
      return { from: s, to: s + m.duration, reason: m.reason ?? `${m.cron} (${m.timezone}) for ${formatDuration(m.duration)}` };
    }
  }
  return undefined;
}

interface CronFields {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
}

const parsedCron = new Map<string, CronFields>();

function cronFields(expr: string): CronFields {
  let f = parsedCron.get(expr);
  if (!f) {
    const p = parseCron(expr);
    const nums = (xs: Array<number | string>) => new Set(xs.filter((x): x is number => typeof x === 'number'));
    f = { minute: nums(p.minute), hour: nums(p.hour), dayOfMonth: nums(p.dayOfMonth), month: nums(p.month), dayOfWeek: nums(p.dayOfWeek) };
    parsedCron.set(expr, f);
  }
  return f;
}

/**
 * lastCronStart: the latest minute ≤ t (epoch ms) at which the cron expression matches in the
 * window's time zone, looking back at most `lookbackMs`. Day of month and day of week must both
 * match, as in node-cron (which runs the scheduled checks). It steps back by whole local hours
 * (and, in UTC, whole days) that cannot match, so a week of look-back costs a few hundred steps.
 */
export function lastCronStart(m: Pick<RecurringMute, 'cron' | 'timezone'>, t: number, lookbackMs: number): number | undefined {
  const f = cronFields(m.cron);
  const parts = m.timezone === 'UTC' ? utcParts : zonedParts(m.timezone);
  const floor = t - lookbackMs;
  let at = Math.floor(t / MINUTE) * MINUTE;
  while (at >= floor) {
    const p = parts(at);
    const dayOk = f.dayOfMonth.has(p.day) && f.month.has(p.month) && f.dayOfWeek.has(p.weekday);
    if (!dayOk && m.timezone === 'UTC') {
      at -= (p.hour * 60 + p.minute + 1) * MINUTE; // to 23:59 of the day before
      continue;
    }
    if (!dayOk || !f.hour.has(p.hour)) {
      at -= (p.minute + 1) * MINUTE; // to :59 of the local hour before (offsets change on the hour)
      continue;
    }
    if (f.minute.has(p.minute)) return at;
    at -= MINUTE;
  }
  return undefined;
}

interface LocalParts {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

function utcParts(t: number): LocalParts {
  const d = new Date(t);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const zoned = new Map<string, (t: number) => LocalParts>();

function zonedParts(timezone: string): (t: number) => LocalParts {
  let fn = zoned.get(timezone);
  if (!fn) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    fn = (t: number) => {
      const p: Record<string, string> = {};
      for (const x of fmt.formatToParts(t)) p[x.type] = x.value;
      return { month: Number(p.month), day: Number(p.day), weekday: WEEKDAYS[p.weekday], hour: Number(p.hour) % 24, minute: Number(p.minute) };
    };
    zoned.set(timezone, fn);
  }
  return fn;
}

/** plainFields: every field of the expression expands to plain numbers (no L, W or # tokens). */
function plainFields(expr: string): boolean {
  const p = parseCron(expr);
  return [p.minute, p.hour, p.dayOfMonth, p.month, p.dayOfWeek].every((xs) => xs.every((x) => typeof x === 'number'));
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
