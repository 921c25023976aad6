import type { AlertRecord } from '../../alerting/alert';
import { batchStatus, diagnoseCommand, evidenceLines, formatBand, formatValue, howComputed, hygieneNote, isHttpUrl, oneLine, statusWord } from './format';

/** RenderedEmail is the subject and both bodies of one alert email. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * renderEmail turns a batch of alert records into one email. Pure, so the wording is tested without
 * an SMTP server. The subject leads with status and severity so a mail filter or a phone
 * notification tells a page from a resolution; every alert value is escaped in the HTML part
 * because labels and summaries come from the monitored data.
 */
export function renderEmail(alerts: readonly AlertRecord[], opts: { subjectPrefix?: string } = {}): RenderedEmail {
  if (alerts.length === 0) throw new Error('renderEmail: no alerts');
  return { subject: renderSubject(alerts, opts.subjectPrefix), text: renderText(alerts), html: renderHtml(alerts) };
}

/** renderSubject: `[FIRING:critical] engagement-rate — summary`, or `[FIRING:critical] 3 alerts: engagement-rate and 2 more`. */
export function renderSubject(alerts: readonly AlertRecord[], prefix?: string): string {
  const { status, severity } = batchStatus(alerts);
  const tag = `[${statusWord(status)}:${severity}]`;
  const first = alerts[0];
  const body =
    alerts.length === 1
      ? `${first.check} — ${first.summary}`
      : `${alerts.length} alerts: ${first.check} and ${alerts.length - 1} more`;
  return oneLine(`${prefix ? `${prefix} ` : ''}${tag} ${body}`, 250);
}

/** rows: the facts shown for one alert, in reading order; values are plain text, links marked. */
function rows(a: AlertRecord): Array<[string, string, 'text' | 'code' | 'link']> {
  const out: Array<[string, string, 'text' | 'code' | 'link']> = [
    ['Status', statusWord(a.status), 'text'],
    ['Severity', a.severity, 'text'],
    ['Check', a.check, 'text'],
    ['Observed value', formatValue(a.value), 'text'],
    ['Expected band', formatBand(a.expected), 'text'],
  ];
  if (howComputed(a)) out.push(['How computed', howComputed(a), 'text']);
  if (hygieneNote(a)) out.push(['Baseline', hygieneNote(a), 'text']);
  evidenceLines(a).forEach((e, i) => out.push([i === 0 ? 'Top contributors' : '', e, 'text']));
  if (a.false_alarm) out.push(['False alarm', `marked by ${a.false_alarm.by} at ${a.false_alarm.at}${a.false_alarm.note ? `: ${a.false_alarm.note}` : ''}`, 'text']);
  out.push(['Started', a.startsAt, 'text']);
  if (a.endsAt) out.push(['Ended', a.endsAt, 'text']);
  out.push(['Issue', a.issue_id, 'text'], ['Diagnose', diagnoseCommand(a), 'code']);
  if (a.dashboard_url) out.push(['Dashboard', a.dashboard_url, 'link']);
  if (a.runbook_url) out.push(['Runbook', a.runbook_url, 'link']);
  return out;
}

/**
 * nextSteps: what the reader does now, in order, so the email explains itself without the README:
 * look at the panel, read the evidence, ask data-or-model, follow the runbook. A resolved alert
 * needs no action; the issue keeps the evidence.
 */
export function nextSteps(a: AlertRecord): Array<[string, string, 'code' | 'link']> {
  const steps: Array<[string, string, 'code' | 'link']> = [];
  if (a.status === 'resolved') {
    steps.push(['Resolved, no action needed. The evidence stays in the issue', `recsysops issues show ${a.issue_id}${stateFlag(a)}`, 'code']);
    return steps;
  }
  if (a.dashboard_url) steps.push(['See the value against its expected band on the dashboard', a.dashboard_url, 'link']);
  steps.push(['Read the evidence and the captured inputs', `recsysops issues show ${a.issue_id}${stateFlag(a)}`, 'code']);
  steps.push(['Tell a data problem from a model problem', diagnoseCommand(a), 'code']);
  steps.push(['If it is not a problem, say so (the detector then learns these values)', `recsysops issues mark ${a.issue_id} false-alarm --note "why"${stateFlag(a)}`, 'code']);
  if (a.runbook_url) steps.push(['Follow the runbook', a.runbook_url, 'link']);
  return steps;
}

/** stateFlag: the `--state DIR` of the alert's diagnose command, so every suggested command finds the issue. */
function stateFlag(a: AlertRecord): string {
  const m = / --state (.+)$/.exec(a.diagnose_command ?? '');
  return m ? ` --state ${m[1]}` : '';
}

function heading(alerts: readonly AlertRecord[]): string {
  if (alerts.length === 1) return '';
  const firing = alerts.filter((a) => a.status === 'firing').length;
  return `${alerts.length} alerts (${firing} firing, ${alerts.length - firing} resolved)`;
}

function renderText(alerts: readonly AlertRecord[]): string {
  const parts = alerts.map((a) => {
    const lines = [`${statusWord(a.status)} ${a.severity} · ${a.check}`, a.summary, ''];
    for (const [k, v] of rows(a)) lines.push(`  ${k.padEnd(15)} ${v}`);
    const labels = Object.keys(a.labels).sort();
    lines.push(`  ${'Labels'.padEnd(15)} ${labels.length ? labels.map((k) => `${k}=${a.labels[k]}`).join(', ') : '—'}`);
    lines.push('', 'What to do:');
    nextSteps(a).forEach(([what, how], i) => lines.push(`  ${i + 1}. ${what}:`, `       ${how}`));
    return lines.join('\n');
  });
  const head = heading(alerts);
  return `${head ? `${head}\n\n` : ''}${parts.join('\n\n----\n\n')}\n`;
}

/** escapeHtml escapes the five characters that matter in element content and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const TD = 'style="padding:2px 12px 2px 0;vertical-align:top;color:#555"';

function renderHtml(alerts: readonly AlertRecord[]): string {
  const blocks = alerts.map((a) => {
    const colour = a.status === 'firing' ? '#c62828' : '#2e7d32';
    const cells = rows(a).map(([k, v, how]) => {
      const value =
        how === 'code' ? `<code>${escapeHtml(v)}</code>` : how === 'link' && isHttpUrl(v) ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v);
      return `<tr><td ${TD}>${escapeHtml(k)}</td><td>${value}</td></tr>`;
    });
    const labels = Object.keys(a.labels).sort();
    const labelRows = labels.length
      ? `<table>${labels.map((k) => `<tr><td ${TD}>${escapeHtml(k)}</td><td>${escapeHtml(a.labels[k])}</td></tr>`).join('')}</table>`
      : '—';
    cells.push(`<tr><td ${TD}>Labels</td><td>${labelRows}</td></tr>`);
    const steps = nextSteps(a).map(([what, how, kind]) => {
      const value = kind === 'code' ? `<code>${escapeHtml(how)}</code>` : isHttpUrl(how) ? `<a href="${escapeHtml(how)}">${escapeHtml(how)}</a>` : escapeHtml(how);
      return `<li>${escapeHtml(what)}: ${value}</li>`;
    });
    return (
      `<h2 style="color:${colour};margin:16px 0 4px">${escapeHtml(`${statusWord(a.status)} ${a.severity} · ${a.check}`)}</h2>` +
      `<p style="margin:0 0 8px">${escapeHtml(a.summary)}</p><table>${cells.join('')}</table>` +
      `<p style="margin:12px 0 4px"><b>What to do</b></p><ol style="margin:0">${steps.join('')}</ol>`
    );
  });
  const head = heading(alerts);
  return `<!doctype html><html><body style="font-family:sans-serif">${head ? `<p>${escapeHtml(head)}</p>` : ''}${blocks.join('<hr>')}</body></html>`;
}
