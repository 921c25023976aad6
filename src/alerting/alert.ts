import type { ExpectedBand } from '../detectors/detector';

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
}
