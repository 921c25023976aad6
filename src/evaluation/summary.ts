import type { CheckDefinition, Observation } from '../check-kinds/kind';
import type { AlertInstance } from '../alerting/state';

/** formatNumber prints a value the way a human reads it on a phone at 3 a.m. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 1e7)) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return a < 1 ? v.toFixed(4).replace(/0+$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

export function formatBand(e: AlertInstance['expected']): string {
  if (!e) return 'unknown (still learning)';
  if (e.lower === null) return `≤ ${formatNumber(e.upper)}`;
  if (e.upper === null) return `≥ ${formatNumber(e.lower)}`;
  return `${formatNumber(e.lower)}–${formatNumber(e.upper)}`;
}

/**
 * alertSummary is the one sentence every notifier shows: the check's own template
 * (`annotations.summary` with {{value}}, {{expected}}, {{labels.x}}), else the observation's own
 * sentence (cold start names items), else value against the expected band.
 */
export function alertSummary(def: CheckDefinition, a: AlertInstance, obs: Observation | undefined, resolved: boolean): string {
  const where = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const head = `${def.name}${where ? ` {${where}}` : ''}`;
  if (resolved) return `${head}: back to normal at ${formatNumber(a.value)} (expected ${formatBand(a.expected)})`;
  if (def.annotations.summary) {
    return def.annotations.summary.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, key: string) => {
      if (key === 'value') return formatNumber(a.value);
      if (key === 'expected') return formatBand(a.expected);
      if (key.startsWith('labels.')) return a.labels[key.slice(7)] ?? '';
      return `{{${key}}}`;
    });
  }
  if (obs?.summary) return `${head}: ${obs.summary}`;
  const dir = a.expected?.upper != null && a.value > a.expected.upper ? 'above' : 'below';
  return `${head}: ${formatNumber(a.value)} is ${dir} the expected ${formatBand(a.expected)}`;
}
