import { dashboardUid } from '../telemetry/grafana/dashboards';
import { resolve } from 'node:path';
import type { Registry } from '../registry';
import type { Detector, DetectorPlugin, DetectorResult } from '../detectors/detector';
import { SERIES_LABELS, labelsKey, type Observation } from '../check-kinds/kind';
import type { LoadedCheck } from '../config/load-checks';
import type { AlertManager, AlertChange } from '../alerting/manager';
import { fingerprint } from '../alerting/fingerprint';
import type { AlertRecord } from '../alerting/alert';
import { IssueStore } from '../issues/store';
import { summarizeCapture, type Issue } from '../issues/issue';
import type { ServingSampler } from '../capture/serving-sampler';
import type { Logger } from '../telemetry/logger';
import type { EvaluationMetrics } from './metrics';
import { alertSummary } from './summary';

export interface EvaluatorDeps {
  detectors: Registry<DetectorPlugin<any>>;
  alerts: AlertManager;
  issues: IssueStore;
  notify: { enqueue(alerts: AlertRecord[]): void };
  sampler?: ServingSampler;
  metrics: EvaluationMetrics;
  logger: Logger;
  links: { dashboard_url?: string; runbook_url?: string };
}

interface Judged {
  obs: Observation;
  result: DetectorResult;
}

/**
 * Evaluator is the check → alert stage: each observation goes through its series' detector, the
 * verdicts step the alert state machine, and each transition opens or resolves an issue and is
 * handed to the notifiers. A series whose alert is pending or firing is judged but not learned
 * from, so the detector does not learn the incident as normal.
 */
export class Evaluator {
  private readonly series = new Map<string, Detector>();

  constructor(private readonly d: EvaluatorDeps) {}

  async evaluate(check: LoadedCheck, observations: Observation[], at: number, window?: { start: number; end: number }): Promise<AlertChange[]> {
    const { def } = check;
    const stop = this.d.metrics.duration.startTimer({ check: def.name });
    const judged = new Map<string, Judged>();
    const verdicts = observations.map((obs) => {
      const labels = cleanLabels(obs.labels);
      const fp = fingerprint(def.name, labels);
      // Baseline hygiene: while the series' alert is pending or firing, its values are judged but
      // not learned, so the detector does not come to see the incident as normal.
      const active = this.d.alerts.get(fp) !== undefined;
      const result = this.detector(check, labels).observe(at, obs.value, { learn: !active });
      judged.set(fp, { obs, result });
      this.export(def.name, labels, obs.value, result);
      return { labels, value: obs.value, expected: result.expected, breach: result.isAnomaly, unknown: !result.ready };
    });
    const changes = this.d.alerts.evaluate(def.name, ruleOf(check), verdicts, at);
    for (const change of changes) await this.apply(check, change, judged.get(change.instance.fingerprint), at, window);
    // Status after the state machine moved: 0 ok, 1 pending, 2 firing, -1 learning.
    for (const v of verdicts) {
      const a = this.d.alerts.get(fingerprint(def.name, v.labels));
      const learning = !judged.get(fingerprint(def.name, v.labels))?.result.ready;
      this.d.metrics.status.set(seriesLabels(def.name, v.labels), a?.phase === 'firing' ? 2 : a?.phase === 'pending' ? 1 : learning ? -1 : 0);
    }
    const active = this.d.alerts.active();
    this.d.metrics.alerts.set({ state: 'pending' }, active.filter((a) => a.phase === 'pending').length);
    this.d.metrics.alerts.set({ state: 'firing' }, active.filter((a) => a.phase === 'firing').length);
    this.d.metrics.evaluations.inc({ check: def.name });
    stop();
    return changes;
  }

  private async apply(check: LoadedCheck, change: AlertChange, judged: Judged | undefined, at: number, window?: { start: number; end: number }) {
    const { def } = check;
    const a = change.instance;
    this.d.metrics.transitions.inc({ check: def.name, transition: change.transition });
    if (change.transition === 'pending' || change.transition === 'cleared') {
      this.d.logger.debug(`alert ${change.transition}`, { check: def.name, labels: a.labels });
      return;
    }
    const summary = alertSummary(def, a, judged?.obs, change.transition === 'resolved');
    if (change.transition === 'fired') {
      const issue = this.openIssue(check, a, judged, summary, at, window);
      a.issueId = issue.id;
      this.d.alerts.setIssue(a.fingerprint, issue.id);
      this.d.metrics.issuesOpened.inc({ check: def.name });
    } else if (change.transition === 'resolved' && a.issueId) {
      this.d.issues.update(a.issueId, (i) => ({ ...i, status: 'resolved', resolved_at: new Date(at).toISOString() }));
    }
    this.d.notify.enqueue([
      {
        fingerprint: a.fingerprint,
        check: def.name,
        status: change.transition === 'resolved' ? 'resolved' : 'firing',
        severity: def.severity,
        labels: { ...def.labels, ...a.labels },
        value: a.value,
        expected: a.expected,
        summary,
        startsAt: new Date(a.activeAt).toISOString(),
        ...(a.resolvedAt !== undefined ? { endsAt: new Date(a.resolvedAt).toISOString() } : {}),
        issue_id: a.issueId ?? '',
        ...this.links(def),
      },
    ]);
  }

  private openIssue(check: LoadedCheck, a: AlertChange['instance'], judged: Judged | undefined, summary: string, at: number, window?: { start: number; end: number }): Issue {
    const { def } = check;
    const id = IssueStore.issueId(a.fingerprint, a.activeAt);
    // The breach began in the window that ended at activeAt; capture from its start to now.
    const windowMs = window ? window.end - window.start : 0;
    const failing = this.d.sampler?.between(a.activeAt - windowMs, at) ?? null;
    const reference = this.d.sampler?.referenceBefore(a.activeAt - windowMs, Math.max(windowMs, 1)) ?? null;
    const stateDir = this.d.issues.stateDir;
    const issue: Issue = {
      id,
      status: 'open',
      check: def.name,
      check_kind: def.kind,
      severity: def.severity,
      fingerprint: a.fingerprint,
      labels: { ...def.labels, ...a.labels },
      summary,
      opened_at: new Date(a.activeAt).toISOString(),
      evidence: {
        value: a.value,
        expected: a.expected,
        anomaly_score: judged?.result.score ?? 1,
        window: window ? { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() } : null,
        evaluated_at: new Date(at).toISOString(),
        detector: { kind: def.detector.kind, params: check.detectorParams },
        baseline: judged?.result.basis ?? '',
        details: judged?.obs.details ?? {},
      },
      diagnose_command: `recsysops diagnose ${id}${resolve(stateDir) === resolve('.recsysops') ? '' : ` --state ${stateDir}`}`,
      ...this.links(def),
      capture: { failing: summarizeCapture(failing), reference: summarizeCapture(reference) },
    };
    const health = { check: def.name, kind: def.kind, labels: issue.labels, value: a.value, expected: a.expected };
    this.d.issues.save(issue, { failing, reference, health });
    this.d.logger.info('issue opened', { issue: id, check: def.name, summary });
    return issue;
  }

  private links(def: LoadedCheck['def']): { dashboard_url?: string; runbook_url?: string } {
    const dashboard = expandLink(def.annotations.dashboard_url ?? this.d.links.dashboard_url, def);
    const runbook = expandLink(def.annotations.runbook_url ?? this.d.links.runbook_url, def);
    return { ...(dashboard ? { dashboard_url: dashboard } : {}), ...(runbook ? { runbook_url: runbook } : {}) };
  }

  private detector(check: LoadedCheck, labels: Record<string, string>): Detector {
    const key = `${check.def.name}|${labelsKey(labels)}`;
    let det = this.series.get(key);
    if (!det) {
      det = this.d.detectors.get(check.def.detector.kind).create(check.detectorParams);
      this.series.set(key, det);
    }
    return det;
  }

  private export(check: string, labels: Record<string, string>, value: number, r: DetectorResult): void {
    const l = seriesLabels(check, labels);
    const m = this.d.metrics;
    m.value.set(l, value);
    m.score.set(l, r.score);
    if (r.expected?.lower != null) m.expectedLower.set(l, r.expected.lower);
    else m.expectedLower.remove(l);
    if (r.expected?.upper != null) m.expectedUpper.set(l, r.expected.upper);
    else m.expectedUpper.remove(l);
  }
}

function ruleOf(check: LoadedCheck) {
  return { for: check.def.for, keepFiringForMs: check.def.keep_firing_for, repeatIntervalMs: check.def.repeat_interval };
}

function cleanLabels(labels: Observation['labels']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[k] = v;
  return out;
}

/** seriesLabels fills every series label, empty when the check does not have it (fixed label set). */
function seriesLabels(check: string, labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { check };
  for (const l of SERIES_LABELS) out[l] = labels[l] ?? '';
  return out;
}

/**
 * expandLink fills `{check}` (the check's name) and `{dashboard}` (the uid of the Grafana dashboard
 * that shows the check's kind) in a configured link, URL-encoded, so one `links.dashboard_url` such
 * as `http://grafana/d/{dashboard}?var-check={check}` opens the right panel for every alert.
 */
export function expandLink(url: string | undefined, def: { name: string; kind: string }): string | undefined {
  if (url === undefined) return undefined;
  return url.split('{check}').join(encodeURIComponent(def.name)).split('{dashboard}').join(dashboardUid(def.kind));
}
