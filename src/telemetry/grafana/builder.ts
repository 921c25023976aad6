/**
 * builder: small typed constructors for the Grafana dashboard JSON recsysops ships (schemaVersion 39,
 * Grafana 10/11), so every dashboard uses the same datasource reference, variables, annotations and
 * band panel, and panel ids and positions are assigned, not hand-kept. Pure: objects in, JSON out.
 */

/** DATASOURCE: the provisioned Prometheus (dashboards/grafana/provisioning/datasources/prometheus.yml). */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

export type Json = Record<string, unknown>;

export interface Target {
  expr: string;
  legend?: string;
  instant?: boolean;
}

export interface PanelSpec {
  type: 'stat' | 'timeseries' | 'state-timeline' | 'row';
  title: string;
  description?: string;
  /** width in grid units (24 per row) and height */
  w: number;
  h: number;
  targets?: Target[];
  fieldConfig?: Json;
  options?: Json;
  extra?: Json;
}

function targets(ts: Target[]): Json[] {
  return ts.map((t, i) => ({
    datasource: DATASOURCE,
    refId: String.fromCharCode(65 + i),
    expr: t.expr,
    legendFormat: t.legend ?? '__auto',
    range: !t.instant,
    instant: Boolean(t.instant),
  }));
}

/** layout assigns ids in order and positions left to right, wrapping at 24 columns. */
export function layout(specs: PanelSpec[]): Json[] {
  let x = 0;
  let y = 0;
  let rowH = 0;
  return specs.map((p, i) => {
    if (p.type === 'row' || x + p.w > 24) {
      y += rowH;
      x = 0;
      rowH = 0;
    }
    const gridPos = { x, y, w: p.w, h: p.h };
    x += p.w;
    rowH = Math.max(rowH, p.h);
    if (p.type === 'row') {
      y += p.h;
      x = 0;
      rowH = 0;
      return { id: i + 1, type: 'row', title: p.title, collapsed: false, gridPos, panels: [] };
    }
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: DATASOURCE,
      gridPos,
      targets: targets(p.targets ?? []),
      fieldConfig: p.fieldConfig ?? { defaults: {}, overrides: [] },
      options: p.options ?? {},
      ...p.extra,
    };
  });
}

export const row = (title: string): PanelSpec => ({ type: 'row', title, w: 24, h: 1 });

export function stat(title: string, expr: string, o: { description?: string; w?: number; h?: number; unit?: string; red?: number; orange?: number; decimals?: number } = {}): PanelSpec {
  const steps: Json[] = [{ color: 'green', value: null }];
  if (o.orange !== undefined) steps.push({ color: 'orange', value: o.orange });
  if (o.red !== undefined) steps.push({ color: 'red', value: o.red });
  return {
    type: 'stat',
    title,
    description: o.description,
    w: o.w ?? 6,
    h: o.h ?? 5,
    targets: [{ expr, legend: title, instant: true }],
    fieldConfig: {
      defaults: { unit: o.unit ?? 'none', decimals: o.decimals ?? 0, noValue: '0', color: { mode: 'thresholds' }, thresholds: { mode: 'absolute', steps } },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      textMode: 'value',
      justifyMode: 'center',
      orientation: 'auto',
    },
  };
}

export function timeseries(title: string, ts: Target[], o: { description?: string; w?: number; h?: number; unit?: string; stack?: boolean } = {}): PanelSpec {
  return {
    type: 'timeseries',
    title,
    description: o.description,
    w: o.w ?? 12,
    h: o.h ?? 8,
    targets: ts,
    fieldConfig: {
      defaults: {
        unit: o.unit ?? 'short',
        color: { mode: 'palette-classic' },
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: o.stack ? 30 : 10, showPoints: 'never', spanNulls: false, stacking: { mode: o.stack ? 'normal' : 'none' } },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/** statusTimeline: recsysops_check_status per series as coloured states (learning, ok, pending, firing, muted). */
export function statusTimeline(title: string, expr: string, legend: string, o: { description?: string; w?: number; h?: number } = {}): PanelSpec {
  const mapping = (value: string, text: string, color: string): Json => ({ type: 'value', options: { [value]: { text, color, index: Number(value) + 1 } } });
  return {
    type: 'state-timeline',
    title,
    description: o.description ?? 'recsysops_check_status: −1 learning, 0 ok, 1 pending, 2 firing, 3 muted.',
    w: o.w ?? 24,
    h: o.h ?? 8,
    targets: [{ expr, legend }],
    fieldConfig: {
      defaults: {
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] },
        mappings: [mapping('-1', 'learning', 'blue'), mapping('0', 'ok', 'green'), mapping('1', 'pending', 'orange'), mapping('2', 'firing', 'red'), mapping('3', 'muted', 'purple')],
        custom: { fillOpacity: 80, lineWidth: 0 },
      },
      overrides: [],
    },
    options: { showValue: 'never', mergeValues: true, rowHeight: 0.9, alignValue: 'left', legend: { showLegend: false }, tooltip: { mode: 'single' } },
  };
}

const bound = (refId: string): Json => ({
  matcher: { id: 'byFrameRefID', options: refId },
  properties: [
    { id: 'color', value: { mode: 'fixed', fixedColor: 'green' } },
    { id: 'custom.lineWidth', value: 1 },
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } },
  ],
});

/**
 * band: the observed value of every series matching `selector` with the expected band its detector
 * computed, repeated per selected check. The band is shaded when the check has one series.
 */
export function band(selector: string, o: { w?: number; h?: number; legend?: string } = {}): PanelSpec {
  return {
    type: 'timeseries',
    title: 'Check value and expected band: $check',
    description:
      "The check's observed value against the band its detector expects. Dashed green lines are the expected bounds (a check may have only one); the band between them is shaded when the check has a single series. A check with several series (per surface, feature, cohort…) shows one value line per series.",
    w: o.w ?? 12,
    h: o.h ?? 9,
    targets: [
      { expr: `recsysops_check_value${selector}`, legend: o.legend ?? 'value {{surface}} {{model_version}} {{feature}} {{measure}} {{cohort}} {{action}} {{segment}}' },
      { expr: `recsysops_check_expected_lower${selector}`, legend: 'expected lower' },
      { expr: `recsysops_check_expected_upper${selector}`, legend: 'expected upper' },
    ],
    fieldConfig: {
      defaults: { unit: 'short', color: { mode: 'palette-classic' }, custom: { drawStyle: 'line', lineWidth: 2, fillOpacity: 0, showPoints: 'never', spanNulls: false } },
      overrides: [
        bound('B'),
        bound('C'),
        { matcher: { id: 'byName', options: 'expected upper' }, properties: [{ id: 'custom.fillBelowTo', value: 'expected lower' }, { id: 'custom.fillOpacity', value: 20 }] },
      ],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    extra: { repeat: 'check', repeatDirection: 'h', maxPerRow: 2 },
  };
}

/** variable: a multi-value query variable over a label of recsysops_check_value; "All" matches empty labels too. */
export function variable(name: string, label: string, definition: string): Json {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    regex: '',
    sort: 1,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
    skipUrlSync: false,
  };
}

/**
 * alertAnnotations: red marks while a check's series fires (recsysops_check_status 2). From the
 * status gauge rather than the transition counter: a counter series born at 1 shows no increase.
 */
export function alertAnnotations(checkRegex: string): Json[] {
  return [
    {
      name: 'Firing alerts',
      datasource: DATASOURCE,
      enable: true,
      iconColor: 'red',
      expr: `max by (check) (recsysops_check_status{check=~"${checkRegex}"}) == 2`,
      step: '1m',
      titleFormat: 'firing: {{check}}',
      tagKeys: 'check',
      useValueForTime: false,
    },
  ];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: Json[];
  annotations: Json[];
  panels: PanelSpec[];
}

/** dashboard assembles the JSON model, with links to the other recsysops dashboards (tag recsysops). */
export function dashboard(d: DashboardSpec): Json {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['recsysops'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    refresh: '30s',
    liveNow: false,
    fiscalYearStartMonth: 0,
    weekStart: '',
    links: [{ title: 'recsysops', type: 'dashboards', tags: ['recsysops'], asDropdown: true, includeVars: true, keepTime: true }],
    annotations: { list: d.annotations },
    templating: { list: d.variables },
    panels: layout(d.panels),
  };
}
