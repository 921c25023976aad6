import type { AlertExplanation } from '../alerting/alert';
import { formatBand, formatValue } from '../alerting/format';
export { formatEvidence } from '../alerting/format';
import type { EvidenceItem } from '../check-kinds/kind';
import type { ExpectedBand } from '../detectors/detector';

/** TOP_EVIDENCE: contributors an alert lists; more belong in the details, not a page. */
export const TOP_EVIDENCE = 5;

/** HYGIENE: the baseline rule every alert states, so nobody wonders whether the incident became normal. */
export const HYGIENE = 'While this alert is pending or firing, the series is judged but not learned, so the baseline keeps excluding the incident.';

export interface ExplainInput {
  value: number;
  expected: ExpectedBand | null;
  detector: { kind: string; params: Record<string, unknown> };
  /** DetectorResult.basis of the judgement behind the alert */
  basis: string;
  /** the values of this episode judged but kept out of the baseline */
  heldOut: { since: number; values: number } | null;
}

/**
 * explain says how an alert's expected band was computed — detector, parameters, baseline — and
 * that the baseline excludes the incident's own values, so the reader can judge the alert without
 * the check file or the code.
 */
export function explain(i: ExplainInput): AlertExplanation {
  const excludes = i.heldOut && i.heldOut.values > 0 ? { since: new Date(i.heldOut.since).toISOString(), values: i.heldOut.values } : null;
  const params = Object.keys(i.detector.params).length ? ` ${JSON.stringify(i.detector.params)}` : '';
  const parts = [
    `Observed ${formatValue(i.value)}, expected ${formatBand(i.expected)}.`,
    `Band: ${i.basis || 'not available'} (detector ${i.detector.kind}${params}).`,
  ];
  if (excludes) {
    parts.push(
      `The baseline excludes this incident: ${excludes.values} value${excludes.values === 1 ? '' : 's'} since ${excludes.since} ${excludes.values === 1 ? 'was' : 'were'} judged but not learned.`,
    );
  }
  parts.push(HYGIENE);
  return { detector: i.detector, basis: i.basis, baseline_excludes: excludes, hygiene: HYGIENE, text: parts.join(' ') };
}

/** topEvidence: the first TOP_EVIDENCE contributors, as the check ordered them (most anomalous first). */
export function topEvidence(items: readonly EvidenceItem[] | undefined): EvidenceItem[] {
  return (items ?? []).slice(0, TOP_EVIDENCE).map((e) => ({ ...e }));
}
