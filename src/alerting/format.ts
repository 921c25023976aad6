import type { ExpectedBand } from '../detectors/detector';
import type { EvidenceItem } from '../check-kinds/kind';

/**
 * format: how a value and an expected band read to a person, shared by alert summaries, the
 * notifiers and the CLI, so an email, a terminal line and `issues show` agree.
 */

/** formatValue prints a metric value with at most 4 significant digits (0.012345 → 0.01235). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/** formatBand prints the expected band as `lower–upper`; an open side reads `≥ lower` / `≤ upper`, no band `—`. */
export function formatBand(band: ExpectedBand | null): string {
  if (!band || (band.lower === null && band.upper === null)) return '—';
  if (band.lower === null) return `≤ ${formatValue(band.upper as number)}`;
  if (band.upper === null) return `≥ ${formatValue(band.lower)}`;
  return `${formatValue(band.lower)}–${formatValue(band.upper)}`;
}

/** formatEvidence: `feature=user_age 0.41 (reference 0.02; PSI 0.41)`, one contributor for a person. */
export function formatEvidence(e: EvidenceItem): string {
  const ref = e.reference != null ? `reference ${formatValue(e.reference)}` : '';
  const extra = [ref, e.note ?? ''].filter(Boolean).join('; ');
  return `${e.name} ${formatValue(e.value)}${extra ? ` (${extra})` : ''}`;
}
