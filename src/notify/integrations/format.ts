import type { AlertRecord, Severity } from '../../alerting/alert';
import { formatBand, formatEvidence, formatValue } from '../../alerting/format';

export { formatBand, formatEvidence, formatValue };

/**
 * format: the words and numbers every notifier shows a person, in one place, so an email, a
 * terminal line and a chat message about the same alert read the same.
 */

/** formatLabels prints labels the Prometheus way, sorted: `{model_version=v42,surface=home}`; `` when none. */
export function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}=${labels[k]}`).join(',')}}`;
}

/** diagnoseCommand is the exact command the on-call engineer runs next (with --state when it is not the default). */
export function diagnoseCommand(alert: AlertRecord): string {
  return alert.diagnose_command ?? `recsysops diagnose ${alert.issue_id}`;
}

/** howComputed: `median ± 4·1.4826·MAD of the last 24 values (…) — robust-zscore {"window":24}`; '' without an explanation. */
export function howComputed(a: AlertRecord): string {
  const x = a.explanation;
  if (!x) return '';
  const params = Object.keys(x.detector.params).length ? ` ${JSON.stringify(x.detector.params)}` : '';
  return `${x.basis || 'no baseline yet'} — detector ${x.detector.kind}${params}`;
}

/** hygieneNote: that the baseline excludes this incident's values; '' when none were held out. */
export function hygieneNote(a: AlertRecord): string {
  const b = a.explanation?.baseline_excludes;
  return b ? `baseline excludes ${b.values} value${b.values === 1 ? '' : 's'} of this incident since ${b.since} (judged, not learned)` : '';
}

/** evidenceLines: the top contributors, one per line, most anomalous first. */
export function evidenceLines(a: AlertRecord): string[] {
  return (a.evidence ?? []).map(formatEvidence);
}

/** statusWord is FIRING or RESOLVED, the word every receiver leads with. */
export function statusWord(status: AlertRecord['status']): string {
  return status === 'firing' ? 'FIRING' : 'RESOLVED';
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

/**
 * batchStatus summarises a batch: firing when any alert in it fires (a batch that mixes a new
 * incident with a resolved one still needs someone's attention), with the highest severity among
 * the alerts of that status.
 */
export function batchStatus(alerts: readonly AlertRecord[]): { status: AlertRecord['status']; severity: Severity } {
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  let severity: Severity = 'info';
  for (const a of alerts) {
    if (a.status === status && SEVERITY_RANK[a.severity] > SEVERITY_RANK[severity]) severity = a.severity;
  }
  return { status, severity };
}

/** oneLine collapses whitespace (newlines included) so a value cannot break a header or a log line. */
export function oneLine(s: string, max = 200): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** isHttpUrl: only http(s) links are rendered as links (never `javascript:` from a label). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
