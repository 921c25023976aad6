import { userInfo } from 'node:os';
import type { Issue, IssueMark } from './issue';

/** MARKS: what a user can say about an issue. */
export const MARKS = ['false-alarm', 'incident'] as const;
export type Mark = (typeof MARKS)[number];

/** latestMark: the user's current verdict on the issue (the last mark counts). */
export function latestMark(issue: Issue): IssueMark | undefined {
  return issue.marks?.[issue.marks.length - 1];
}

/**
 * falseAlarmMark: the mark the daemon acts on — the latest mark when it is `false-alarm` and the
 * daemon has not acted on a false alarm of this issue yet.
 */
export function falseAlarmMark(issue: Issue): IssueMark | undefined {
  const m = latestMark(issue);
  return m?.mark === 'false-alarm' && issue.status === 'false-alarm' && !issue.false_alarm_applied ? m : undefined;
}

/**
 * markIssue records a user's verdict. `false-alarm` sets the status to false-alarm (the daemon that
 * holds the alert resolves it at its next evaluation of the check); `incident` confirms the issue,
 * or undoes a false-alarm mark: the status returns to resolved or open. Pure; the caller saves.
 */
export function markIssue(issue: Issue, mark: Mark, o: { by: string; at: Date; note?: string }): Issue {
  const entry: IssueMark = { mark, by: o.by, at: o.at.toISOString(), ...(o.note ? { note: o.note } : {}) };
  const status = mark === 'false-alarm' ? 'false-alarm' : issue.resolved_at ? 'resolved' : 'open';
  return { ...issue, status, marks: [...(issue.marks ?? []), entry] };
}

/** whoAmI: the name recorded with a mark when --by is not given. */
export function whoAmI(env: Record<string, string | undefined>): string {
  try {
    return env.RECSYSOPS_USER || env.USER || env.USERNAME || userInfo().username || 'unknown';
  } catch {
    return env.RECSYSOPS_USER || env.USER || 'unknown';
  }
}
