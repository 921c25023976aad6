import { IssueStore } from '../issues/store';
import type { Issue } from '../issues/issue';
import { resolveStateDir } from '../daemon';
import { formatBand, formatValue } from '../alerting/format';
import { UsageError } from '../errors';
import { formatSavedDiagnosis } from '../diagnosis/report';
import { ISSUE_STATUSES } from '../issues/issue';
import { latestMark, markIssue, MARKS, whoAmI, type Mark } from '../issues/marks';
import { formatEvidence } from '../alerting/format';

/** issuesListCommand prints a table (or JSON lines) of the issues, newest first. */
export async function issuesListCommand(opts: { state?: string; json?: boolean; status?: string }): Promise<void> {
  if (opts.status && !(ISSUE_STATUSES as readonly string[]).includes(opts.status)) {
    throw new UsageError(`--status must be ${ISSUE_STATUSES.slice(0, -1).join(', ')} or ${ISSUE_STATUSES[ISSUE_STATUSES.length - 1]}, not "${opts.status}"`);
  }
  const store = new IssueStore(resolveStateDir(opts.state, undefined, process.env));
  const issues = store.list().filter((i) => !opts.status || i.status === opts.status);
  if (opts.json) {
    for (const i of issues) process.stdout.write(JSON.stringify(i) + '\n');
    return;
  }
  if (!issues.length) {
    process.stdout.write(`no issues in ${store.stateDir}\n`);
    return;
  }
  const rows = issues.map((i) => [i.id, i.status, markCell(i), i.severity, i.opened_at.replace(/\.\d{3}Z$/, 'Z'), i.check, i.summary]);
  const head = ['ID', 'STATUS', 'MARK', 'SEVERITY', 'OPENED', 'CHECK', 'SUMMARY'];
  const widths = head.slice(0, 6).map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c < 6 ? v.padEnd(widths[c]) : v)).join('  ') + '\n';
  process.stdout.write(line(head));
  for (const r of rows) process.stdout.write(line(r));
}

/** markCell: `false-alarm by alice`, or `—` when nobody marked the issue. */
function markCell(i: Issue): string {
  const m = latestMark(i);
  return m ? `${m.mark} by ${m.by}` : '—';
}

/**
 * issuesMarkCommand records a user's verdict on an issue. The daemon that holds the issue's alert
 * acts on a false-alarm mark at its next evaluation of the check (no restart): it resolves the
 * alert, notifies the resolution and learns the values it had held out (docs/alerts.md).
 */
export async function issuesMarkCommand(id: string, mark: string, opts: { state?: string; note?: string; by?: string }): Promise<void> {
  if (!(MARKS as readonly string[]).includes(mark)) throw new UsageError(`mark must be ${MARKS.join(' or ')}, not "${mark}"`);
  const store = new IssueStore(resolveStateDir(opts.state, undefined, process.env));
  const before = store.get(id);
  const by = opts.by?.trim() || whoAmI(process.env);
  const issue = store.update(before.id, (i) => markIssue(i, mark as Mark, { by, at: new Date(), note: opts.note?.trim() || undefined }));
  const out = [`issue ${issue.id} marked ${mark} by ${by}${opts.note ? `: ${opts.note.trim()}` : ''}; status ${issue.status}`];
  if (mark === 'false-alarm' && !issue.false_alarm_applied) {
    out.push(
      issue.resolved_at
        ? `its alert had already resolved: nothing is held out any more, so the detector has nothing to relearn`
        : `the daemon (or the next replay) with this state directory resolves its alert at the next evaluation of ${issue.check}, notifies the resolution and learns the values it held out during the alert`,
    );
  } else if (mark === 'incident' && before.false_alarm_applied) {
    out.push(`the alert was already resolved as a false alarm at ${before.false_alarm_applied.at}; the detector keeps what it learned then`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

/** issuesShowCommand prints one issue as an on-call engineer reads it: what, how sure, what next. */
export async function issuesShowCommand(id: string, opts: { state?: string; json?: boolean }): Promise<void> {
  const store = new IssueStore(resolveStateDir(opts.state, undefined, process.env));
  const issue = store.get(id);
  process.stdout.write(opts.json ? JSON.stringify(issue, null, 2) + '\n' : formatIssue(issue));
}

export function formatIssue(i: Issue): string {
  const e = i.evidence;
  const out: string[] = [
    `issue ${i.id}  ${i.status.toUpperCase()}  ${i.severity}`,
    `  ${i.summary}`,
    '',
    `check       ${i.check} (${i.check_kind})`,
    `labels      ${Object.entries(i.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'}`,
    `opened      ${i.opened_at}${i.resolved_at ? `   resolved ${i.resolved_at}` : ''}`,
    `observed    ${formatValue(e.value)}   expected ${formatBand(e.expected)}   anomaly score ${formatValue(e.anomaly_score)}`,
    `window      ${e.window ? `${e.window.start} – ${e.window.end}` : `evaluated at ${e.evaluated_at}`}`,
    `detector    ${e.detector.kind} ${JSON.stringify(e.detector.params)}`,
    `baseline    ${e.baseline || '—'}`,
  ];
  if (e.baseline_excludes) out.push(`hygiene     baseline excludes ${e.baseline_excludes.values} value(s) of this incident since ${e.baseline_excludes.since} (judged, not learned)`);
  (e.contributors ?? []).forEach((c, n) => out.push(`${n === 0 ? 'top' : ''.padEnd(3)}         ${formatEvidence(c)}`));
  if (Object.keys(e.details).length) out.push(`details     ${JSON.stringify(e.details)}`);
  for (const m of i.marks ?? []) out.push(`marked      ${m.mark} by ${m.by} at ${m.at}${m.note ? `: ${m.note}` : ''}`);
  if (i.false_alarm_applied) out.push(`            alert resolved as a false alarm at ${i.false_alarm_applied.at}; ${i.false_alarm_applied.relearned_values} held-out value(s) learned`);
  const cap = (c: Issue['capture']['failing']) =>
    c ? `${c.sampled} of ${c.serving_events_seen} serving events, ${c.start} – ${c.end}, versions ${Object.keys(c.model_versions).join(', ')}` : 'none';
  out.push(`captured    failing: ${cap(i.capture.failing)}`, `            reference: ${cap(i.capture.reference)}`);
  if (i.dashboard_url) out.push(`dashboard   ${i.dashboard_url}`);
  if (i.runbook_url) out.push(`runbook     ${i.runbook_url}`);
  if (i.diagnosis) out.push('', ...formatSavedDiagnosis(i.diagnosis));
  out.push('', `next: ${i.diagnose_command}`, '');
  return out.join('\n');
}
