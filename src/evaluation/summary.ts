import type { CheckDefinition, Observation } from '../check-kinds/kind';
import { formatBand, formatValue } from '../alerting/format';
import type { AlertInstance } from '../alerting/state';

/**
 * alertSummary is the one sentence every notifier shows: the check's own template
 * (`annotations.summary` with {{value}}, {{expected}}, {{labels.x}}), else the observation's own
 * sentence (cold start names items), else value against the expected band.
 */
export function alertSummary(def: CheckDefinition, a: AlertInstance, obs: Observation | undefined, resolved: boolean): string {
  const head = seriesHead(def.name, a.labels);
  if (resolved) return `${head}: back to normal at ${formatValue(a.value)} (expected ${formatBand(a.expected)})`;
  if (def.annotations.summary) {
    return def.annotations.summary.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, key: string) => {
      if (key === 'value') return formatValue(a.value);
      if (key === 'expected') return formatBand(a.expected);
      if (key.startsWith('labels.')) return a.labels[key.slice(7)] ?? '';
      return `{{${key}}}`;
    });
  }
  if (obs?.summary) return `${head}: ${obs.summary}`;
  const dir = a.expected?.upper != null && a.value > a.expected.upper ? 'above' : 'below';
  return `${head}: ${formatValue(a.value)} is ${dir} the expected ${formatBand(a.expected)}`;
}

/** seriesHead names one series: `impressions-volume {surface=home}`. */
export function seriesHead(check: string, labels: Record<string, string>): string {
  const where = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${check}${where ? ` {${where}}` : ''}`;
}

/** falseAlarmSummary: the sentence of the resolved record of an alert a user marked a false alarm. */
export function falseAlarmSummary(check: string, labels: Record<string, string>, mark: { by: string; note?: string }): string {
  return `${seriesHead(check, labels)}: marked a false alarm by ${mark.by}${mark.note ? ` (${mark.note})` : ''}; resolved`;
}
