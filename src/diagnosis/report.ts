import { formatBand, formatValue } from '../alerting/format';
import type { Issue } from '../issues/issue';
import type { DiagnosisReport, SwapCell } from './diagnose';

const HEADLINE: Record<DiagnosisReport['verdict'], string> = {
  data: 'DATA PROBLEM — the model inputs are broken',
  model: 'MODEL PROBLEM — the model version misbehaves on healthy inputs',
  both: 'BOTH — broken inputs and a misbehaving model version',
  not_reproducible: 'NOT REPRODUCIBLE — the failure does not show when the model is replayed in isolation',
  inconclusive: 'INCONCLUSIVE — the replay found no single cause to point at',
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cellText = (c: SwapCell) => `${c.value.toFixed(2)} ${c.bad ? 'BAD' : 'ok '}`;

function swapRows(r: DiagnosisReport): string[][] | null {
  const s = r.swap;
  if (!s) return null;
  return [
    ['', `current model ${s.failing_current.version}`, `last good ${s.failing_good.version}`],
    [`failing inputs (${s.failing_current.requests})`, cellText(s.failing_current), cellText(s.failing_good)],
    [`reference inputs (${s.reference_good.requests})`, cellText(s.reference_current), cellText(s.reference_good)],
  ];
}

function topUnits(r: DiagnosisReport, n: number) {
  return (r.attribution?.entries ?? []).slice(0, n);
}

function evidenceText(e: DiagnosisReport['attribution'] extends infer A ? (A extends { entries: (infer E)[] } ? E : never) : never): string {
  if (!e.evidence) return '';
  const parts: string[] = [];
  const [rn, fn] = e.evidence.null_rate;
  const [rz, fz] = e.evidence.zero_rate;
  if (fn - rn >= 0.01) parts.push(`null ${pct(rn)} → ${pct(fn)}`);
  if (fz - rz >= 0.01) parts.push(`zero ${pct(rz)} → ${pct(fz)}`);
  parts.push(`PSI ${e.evidence.psi.toFixed(2)}`);
  return parts.join(', ');
}

/** formatTerminal: verdict first, then the 2×2 table, the top features and what was replayed; read in a minute at 3 a.m. */
export function formatTerminal(issue: Issue, r: DiagnosisReport): string {
  const lines = [`diagnosis of issue ${issue.id} (${issue.check})`, '', `  ${HEADLINE[r.verdict]}`, `  ${r.explanation}`, ''];
  if (r.reproduce) lines.push(`reproduced   ${r.reproduce.reproduced}/${r.reproduce.requests} failing requests give the logged scores (${pct(r.reproduce.share)})`);
  lines.push(`versions     current ${r.model_versions.failing ?? '—'}, last good ${r.model_versions.reference ?? '—'}`);
  if (r.check_health) lines.push(`alert        ${r.check_health.check} judged ${formatValue(r.check_health.value)}, expected ${formatBand(r.check_health.expected)}`);
  const rows = swapRows(r);
  if (rows && r.swap) {
    const w = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    lines.push('', `swap         health per cell (0 = like the reference outputs; bad ≥ ${r.swap.threshold.toFixed(2)}, noise ${r.swap.noise_floor.toFixed(2)})`);
    for (const row of rows) lines.push(`             ${row.map((v, c) => v.padEnd(w[c])).join('   ')}`);
  }
  const top = topUnits(r, 5);
  if (top.length && r.attribution) {
    lines.push('', `features     health restored by swapping in reference values (${r.attribution.requests} requests; ${r.attribution.method})`);
    const w = Math.max(...top.map((e) => e.unit.length));
    for (const e of top) lines.push(`             ${e.unit.padEnd(w)}  ${pct(e.shapley ?? e.restored).padStart(6)}  ${evidenceText(e)}`);
  }
  if (r.features.length) {
    lines.push('', 'inputs       quality rates that grew:');
    for (const f of r.features.slice(0, 8)) lines.push(`             ${f.feature}  ${f.measure}  ${pct(f.reference)} → ${pct(f.failing)}`);
  }
  const drift = r.inputs.filter((e) => e.psi >= 0.25).slice(0, 5);
  if (drift.length) lines.push(`drift        PSI ≥ 0.25: ${drift.map((e) => `${e.feature} ${e.psi.toFixed(2)}`).join(', ')}`);
  lines.push('', `replayed     ${r.replayed_requests} requests in ${(r.duration_ms / 1000).toFixed(2)} s`, '');
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** formatMarkdown: the same report, to paste into an incident ticket. */
export function formatMarkdown(issue: Issue, r: DiagnosisReport): string {
  const lines = [
    `### recsysops diagnosis — issue \`${issue.id}\``,
    '',
    `**Verdict: ${HEADLINE[r.verdict]}** (\`${r.verdict}\`)`,
    '',
    r.explanation,
    '',
    `| | |`,
    `|---|---|`,
    `| Alert | ${esc(issue.summary)} |`,
    `| Opened | ${issue.opened_at} |`,
    `| Reproduced | ${r.reproduce ? `${r.reproduce.reproduced}/${r.reproduce.requests} (${pct(r.reproduce.share)})` : '—'} |`,
    `| Versions | current \`${r.model_versions.failing ?? '—'}\`, last good \`${r.model_versions.reference ?? '—'}\` |`,
    `| Rank agreement | ${r.model_agreement === null ? '—' : r.model_agreement.toFixed(3)} |`,
    `| Replayed | ${r.replayed_requests} requests in ${(r.duration_ms / 1000).toFixed(2)} s |`,
  ];
  const rows = swapRows(r);
  if (rows && r.swap) {
    lines.push('', `Swap experiment (health, 0 = like the reference outputs; bad ≥ ${r.swap.threshold.toFixed(2)}):`, '');
    lines.push(`| ${rows[0].map(esc).join(' | ')} |`, '|---|---|---|', ...rows.slice(1).map((row) => `| ${row.map(esc).join(' | ')} |`));
  }
  const top = topUnits(r, 8);
  if (top.length) {
    lines.push('', 'Top features (health restored by swapping in reference values):', '', '| feature | restored | evidence |', '|---|---|---|');
    for (const e of top) lines.push(`| \`${e.unit}\` | ${pct(e.shapley ?? e.restored)} | ${esc(evidenceText(e))} |`);
  }
  if (r.features.length) lines.push('', 'Quality rates that grew:', '', ...r.features.slice(0, 10).map((f) => `- \`${f.feature}\` ${f.measure} ${pct(f.reference)} → ${pct(f.failing)}`));
  return lines.join('\n') + '\n';
}

/** formatSavedDiagnosis: the few lines `recsysops issues show` prints about the saved diagnosis report. */
export function formatSavedDiagnosis(d: Record<string, unknown>): string[] {
  const r = d as Partial<DiagnosisReport>;
  const out = [`diagnosis   ${String(r.verdict ?? '?').toUpperCase()} — ${String(r.explanation ?? '')}`];
  const s = r.swap;
  if (s) {
    const c = (x: SwapCell) => `${x.value.toFixed(2)}${x.bad ? ' BAD' : ''}`;
    out.push(`            swap health: failing×current ${c(s.failing_current)}, failing×good ${c(s.failing_good)}, reference×current ${c(s.reference_current)}, reference×good ${c(s.reference_good)}`);
  }
  const top = r.attribution?.entries?.slice(0, 3) ?? [];
  if (top.length) out.push(`            top features: ${top.map((e) => `${e.unit} ${pct(e.shapley ?? e.restored)}`).join(', ')}`);
  if (r.diagnosed_at) out.push(`            diagnosed ${r.diagnosed_at}, ${r.replayed_requests ?? 0} requests replayed in ${((r.duration_ms ?? 0) / 1000).toFixed(2)} s`);
  return out;
}
