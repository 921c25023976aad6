import type { ExpectedBand } from '../detectors/detector';
import type { EvidenceItem } from '../check-kinds/kind';

export type Severity = 'critical' | 'warning' | 'info';

/**
 * AlertRecord is what every notifier receives, exactly the design's alert record; the `file`
 * notifier writes it as one JSON object per line. Times are ISO-8601; for streaming checks they are
 * event times.
 */
export interface AlertRecord {
  fingerprint: string;
  check: string;
  status: 'firing' | 'resolved';
  severity: Severity;
  labels: Record<string, string>;
  value: number;
  expected: ExpectedBand | null;
  summary: string;
  startsAt: string;
  endsAt?: string;
  issue_id: string;
  dashboard_url?: string;
  runbook_url?: string;
  /** how the expected band was computed (additive to the design's record; docs/alerts.md) */
  explanation?: AlertExplanation;
  /** the top contributors behind the value, most anomalous first (at most 5) */
  evidence?: EvidenceItem[];
  /** the exact command to run next */
  diagnose_command?: string;
  /** set on the resolved record of an alert a user marked as a false alarm */
  false_alarm?: { by: string; at: string; note?: string };
}

/** AlertExplanation: the detector, its parameters and its baseline, so an alert explains itself. */
export interface AlertExplanation {
  detector: { kind: string; params: Record<string, unknown> };
  /** the detector's own words for how the band was computed (DetectorResult.basis) */
  basis: string;
  /**
   * baseline hygiene: the values of this episode the detector judged but did not learn, so the
   * baseline above excludes the incident's windows; null when none were held out
   */
  baseline_excludes: { since: string; values: number } | null;
  /** the hygiene rule in words: while this alert is active its series' values are not learned */
  hygiene: string;
  /** the above in one paragraph, for receivers that show plain text */
  text: string;
}
