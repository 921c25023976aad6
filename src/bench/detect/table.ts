import { median } from 'simple-statistics';
import type { Corpus } from './corpus';
import { judgeTargets, recallOf, type CheckScore, type Detection, type Targets } from './score';

const MIN = 60_000;

/** formatTable lays rows out in aligned columns under a header, separated by two spaces. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const pct = (r: { detected: number; total: number; recall?: number }) => (r.total ? `${r.detected}/${r.total} ${Math.round((r.recall ?? 0) * 100)}%` : '-');
const num = (x: number | undefined, digits = 1) => (x === undefined ? '-' : x.toFixed(digits));
const mark = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'ok' : 'MISS');

function medianDelayMin(ds: Detection[]): number | undefined {
  const d = ds.flatMap((x) => (x.delayMs === undefined ? [] : [x.delayMs]));
  return d.length ? median(d) / MIN : undefined;
}

/**
 * report prints the benchmark's result: the seeds and corpus, a table per check (recall, false
 * alarms per fault-free week, median delay, targets), and recall per fault kind and size.
 */
export function report(corpus: Corpus, scores: CheckScore[], targets: Targets, sharpKinds: Parameters<typeof judgeTargets>[2], extra: { checksDir: string; events: number; seconds: number }): string {
  const c = corpus.config;
  const sizes = [...new Set(corpus.faults.map((f) => f.size))].sort((a, b) => b - a);
  const out: string[] = [];
  out.push(
    `corpus: world_seed=${c.world_seed} layout_seed=${c.layout_seed} start=${c.start} weeks: ${c.warmup_weeks} warm-up + ${c.clean_weeks} fault-free + ${c.fault_weeks} with faults; ` +
      `${corpus.faults.length} faults; requests_per_minute=${c.requests_per_minute} users=${c.users} items=${c.items} weekly_rhythm=${c.weekly_rhythm}`,
  );
  out.push(`checks: ${extra.checksDir}; ${extra.events} events in ${extra.seconds.toFixed(0)} s`);
  out.push(
    `targets: recall 100% for faults of size ≥ ${targets.moderateSize}; ≤ ${targets.maxFalseAlarmsPerWeek} false alarm per check per fault-free week; ` +
      `median delay ≤ ${targets.maxDelayWindows} windows for sharp faults of size ≥ ${targets.moderateSize}`,
  );
  out.push('');
  const rows = scores.map((s) => {
    const v = judgeTargets(s, targets, sharpKinds);
    return [
      s.check.name,
      s.check.kind,
      s.check.catches === 'any' ? 'any fault' : s.check.catches.join(','),
      pct(recallOf(s.detections)),
      pct(recallOf(s.detections, (d) => d.fault.size >= targets.moderateSize)),
      num(s.falseAlarmsPerWeek),
      String(s.stray),
      num(s.medianDelayMin),
      num(s.medianDelayWindows),
      `recall ${mark(v.recall)}, FA ${mark(v.falseAlarms)}, delay ${mark(v.delay)}${v.sharpDelayWindows !== undefined ? ` (${v.sharpDelayWindows.toFixed(1)} w)` : ''}`,
    ];
  });
  out.push(
    formatTable(
      ['check', 'kind', 'catches', 'recall', `recall size≥${targets.moderateSize}`, 'FA/clean week', 'stray', 'delay min', 'delay windows', 'targets'],
      rows,
    ),
  );
  out.push('');
  const byKind: string[][] = [];
  for (const s of scores) {
    const kinds = [...new Set(s.detections.map((d) => d.fault.kind))];
    for (const k of kinds) {
      const ds = s.detections.filter((d) => d.fault.kind === k);
      byKind.push([s.check.name, k, ...sizes.map((z) => pct(recallOf(ds, (d) => d.fault.size === z))), num(medianDelayMin(ds))]);
    }
  }
  out.push(formatTable(['check', 'fault', ...sizes.map((z) => `size ${z}`), 'delay min'], byKind));
  out.push('');
  out.push('windows: each check\'s own window (scheduled checks: the bench\'s evaluation interval); FA: false alarms; stray: alerts in the fault weeks outside every fault ± grace');
  return out.join('\n');
}
