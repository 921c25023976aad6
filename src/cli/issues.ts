import { IssueStore } from '../issues/store';
import type { Issue } from '../issues/issue';
import { resolveStateDir } from '../daemon';
import { formatBand, formatValue } from '../alerting/format';
import { UsageError } from '../errors';
import { formatSavedDiagnosis } from '../diagnosis/report';

/** issuesListCommand prints a table (or JSON lines) of the issues, newest first. */
export async function issuesListCommand(opts: { state?: string; json?: boolean; status?: string }): Promise<void> {
  if (opts.status && opts.status !== 'open' && opts.status !== 'resolved') throw new UsageError(`--status must be open or resolved, not "${opts.status}"`);
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
  const rows = issues.map((i) => [i.id, i.status, i.severity, i.opened_at.replace(/\.\d{3}Z$/, 'Z'), i.check, i.summary]);
  const head = ['ID', 'STATUS', 'SEVERITY', 'OPENED', 'CHECK', 'SUMMARY'];
  const widths = head.slice(0, 5).map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c < 5 ? v.padEnd(widths[c]) : v)).join('  ') + '\n';
  process.stdout.write(line(head));
  for (const r of rows) process.stdout.write(line(r));
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
  if (Object.keys(e.details).length) out.push(`details     ${JSON.stringify(e.details)}`);
  const cap = (c: Issue['capture']['failing']) =>
    c ? `${c.sampled} of ${c.serving_events_seen} serving events, ${c.start} – ${c.end}, versions ${Object.keys(c.model_versions).join(', ')}` : 'none';
  out.push(`captured    failing: ${cap(i.capture.failing)}`, `            reference: ${cap(i.capture.reference)}`);
  if (i.dashboard_url) out.push(`dashboard   ${i.dashboard_url}`);
  if (i.runbook_url) out.push(`runbook     ${i.runbook_url}`);
  if (i.diagnosis) out.push('', ...formatSavedDiagnosis(i.diagnosis));
  out.push('', `next: ${i.diagnose_command}`, '');
  return out.join('\n');
}
