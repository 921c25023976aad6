import type { ExpectedBand } from '../detectors/detector';
import type { Severity } from '../alerting/alert';
import type { CapturedWindow } from '../capture/serving-sampler';
import type { EvidenceItem } from '../check-kinds/kind';

/** Evidence: everything an on-call engineer needs to judge the alert without opening the code. */
export interface Evidence {
  value: number;
  expected: ExpectedBand | null;
  anomaly_score: number;
  /** the event-time window that breached, for streaming checks */
  window: { start: string; end: string } | null;
  evaluated_at: string;
  detector: { kind: string; params: Record<string, unknown> };
  /** how the expected band was computed, in words (the baseline) */
  baseline: string;
  /** check-specific evidence: starving items, per-feature counts, impressions… */
  details: Record<string, unknown>;
  /** the top contributors (drifting features, segments, items), most anomalous first, at most 5 */
  contributors?: EvidenceItem[];
  /** baseline hygiene: the values of this episode judged but kept out of the baseline */
  baseline_excludes?: { since: string; values: number } | null;
  /** value, band, how it was computed and the hygiene, in one paragraph */
  explanation?: string;
}

/** IssueStatus: false-alarm is set by a user (`recsysops issues mark ID false-alarm`). */
export type IssueStatus = 'open' | 'resolved' | 'false-alarm';
export const ISSUE_STATUSES: readonly IssueStatus[] = ['open', 'resolved', 'false-alarm'];

/** IssueMark: one verdict of a user on an issue; the latest one counts. */
export interface IssueMark {
  mark: 'false-alarm' | 'incident';
  by: string;
  at: string;
  note?: string;
}

/** Issue: what one firing alert opened in the issue store. */
export interface Issue {
  id: string;
  status: IssueStatus;
  check: string;
  check_kind: string;
  severity: Severity;
  fingerprint: string;
  labels: Record<string, string>;
  summary: string;
  opened_at: string;
  resolved_at?: string;
  evidence: Evidence;
  diagnose_command: string;
  dashboard_url?: string;
  runbook_url?: string;
  /** what was captured for diagnosis (the samples themselves are in capture.json) */
  capture: { failing: CaptureSummary | null; reference: CaptureSummary | null };
  /** users' marks, oldest first (`recsysops issues mark`) */
  marks?: IssueMark[];
  /** what the daemon did about a false-alarm mark: resolved the alert and learned the held-out values */
  false_alarm_applied?: { at: string; relearned_values: number };
  /** the latest diagnosis report, saved by `recsysops diagnose` */
  diagnosis?: Record<string, unknown>;
}

export interface CaptureSummary {
  start: string;
  end: string;
  serving_events_seen: number;
  sampled: number;
  model_versions: Record<string, number>;
}

/** Capture: the model inputs behind an issue, replayed by `recsysops diagnose`. */
export interface Capture {
  failing: CapturedWindow | null;
  reference: CapturedWindow | null;
  /** the check's health metric when the issue opened (what the alert judged) */
  health?: { check: string; kind: string; labels: Record<string, string>; value: number; expected: ExpectedBand | null };
}

export function summarizeCapture(w: CapturedWindow | undefined | null): CaptureSummary | null {
  if (!w) return null;
  return {
    start: new Date(w.start).toISOString(),
    end: new Date(w.end).toISOString(),
    serving_events_seen: w.seen,
    sampled: w.events.length,
    model_versions: w.model_versions,
  };
}
