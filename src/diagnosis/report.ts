import type { Issue } from '../issues/issue';
import type { DiagnosisReport, FeatureShift } from './diagnose';

const HEADLINE: Record<DiagnosisReport['verdict'], string> = {
  data: 'DATA PROBLEM — the model inputs are broken',
  model: 'MODEL PROBLEM — the model version misbehaves on healthy inputs',
  both: 'BOTH — broken inputs and a misbehaving model version',
  not_reproducible: 'NOT REPRODUCIBLE — the model gives other scores in isolation than it served',
  inconclusive: 'INCONCLUSIVE — the replay found no difference to point at',
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function featureLines(features: FeatureShift[], bullet: string): string[] {
  return features.slice(0, 10).map((f) => `${bullet}${f.feature}  ${f.measure}  ${pct(f.reference)} → ${pct(f.failing)}`);
}

/** formatTerminal: verdict first, then the evidence; read in a minute at 3 a.m. */
export function formatTerminal(issue: Issue, r: DiagnosisReport): string {
  const lines = [
    `diagnosis of issue ${issue.id} (${issue.check})`,
    '',
    `  ${HEADLINE[r.verdict]}`,
    `  ${r.explanation}`,
    '',
  ];
  if (r.reproduce) lines.push(`reproduced   ${r.reproduce.reproduced}/${r.reproduce.requests} requests give the logged scores (${pct(r.reproduce.share)})`);
  lines.push(`versions     failing ${r.model_versions.failing ?? '—'}, reference ${r.model_versions.reference ?? '—'}`);
  if (r.model_agreement !== null) lines.push(`agreement    ${r.model_agreement.toFixed(3)} mean rank correlation of the two versions on the reference inputs`);
  if (r.features.length) lines.push('inputs       features whose null/zero rate grew:', ...featureLines(r.features, '               '));
  lines.push(`replayed     ${r.replayed_requests} requests in ${(r.duration_ms / 1000).toFixed(2)} s`, '');
  return lines.join('\n');
}

/** formatMarkdown: the same report, to paste into an incident ticket. */
export function formatMarkdown(issue: Issue, r: DiagnosisReport): string {
  const lines = [
    `### recsysops diagnosis — issue \`${issue.id}\``,
    '',
    `**Verdict: ${HEADLINE[r.verdict]}**`,
    '',
    r.explanation,
    '',
    `| | |`,
    `|---|---|`,
    `| Alert | ${issue.summary.replace(/\|/g, '\\|')} |`,
    `| Opened | ${issue.opened_at} |`,
    `| Reproduced | ${r.reproduce ? `${r.reproduce.reproduced}/${r.reproduce.requests} (${pct(r.reproduce.share)})` : '—'} |`,
    `| Versions | failing \`${r.model_versions.failing ?? '—'}\`, reference \`${r.model_versions.reference ?? '—'}\` |`,
    `| Rank agreement | ${r.model_agreement === null ? '—' : r.model_agreement.toFixed(3)} |`,
    `| Replayed | ${r.replayed_requests} requests in ${(r.duration_ms / 1000).toFixed(2)} s |`,
  ];
  if (r.features.length) lines.push('', 'Features whose null/zero rate grew:', '', ...featureLines(r.features, '- '));
  return lines.join('\n') + '\n';
}
