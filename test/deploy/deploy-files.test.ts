/**
 * deploy-files: the files a user deploys beside the daemon (Dockerfile, docker-compose.yml, the
 * Prometheus config and rules, the Grafana provisioning and dashboards) agree with each other and with
 * the metrics the daemon exports. No Docker engine runs here, so this checks structure, not a live
 * stack.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { generateDashboards } from '../../src/telemetry/grafana/dashboards';
import { builtinPlugins } from '../../src/plugins';
import { loadChecks } from '../../src/config/load-checks';

const root = resolve(__dirname, '..', '..');
const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');
const readYaml = (rel: string): any => parse(read(rel));

/**
 * EXPORTED_METRICS: the metric names the daemon exports, as dashboards and rules may use them; the
 * contract the deploy files are held to. The last test of this file checks it against the names the
 * running daemon's registry actually serves on /metrics.
 */
const EXPORTED_METRICS = [
  'recsysops_events_consumed_total',
  'recsysops_events_malformed_total',
  'recsysops_events_late_total',
  'recsysops_events_redelivered_total',
  'recsysops_watermark_timestamp_seconds',
  'recsysops_newest_event_timestamp_seconds',
  'recsysops_windows_closed_total',
  'recsysops_check_value',
  'recsysops_check_expected_lower',
  'recsysops_check_expected_upper',
  'recsysops_check_anomaly_score',
  'recsysops_check_status',
  'recsysops_check_evaluation_duration_seconds',
  'recsysops_check_evaluations_total',
  'recsysops_alerts',
  'recsysops_alert_transitions_total',
  'recsysops_issues_opened_total',
  'recsysops_check_muted',
  'recsysops_false_alarms_total',
  'recsysops_notifications_total',
  'recsysops_notifier_failures_total',
  'recsysops_notifier_queue_length',
  'recsysops_notifier_delivery_duration_seconds',
  'recsysops_config_last_reload_successful',
  'recsysops_checks_loaded',
] as const;

/** HISTOGRAMS: exported histograms, whose _bucket, _sum and _count series queries may name. */
const HISTOGRAMS = ['recsysops_check_evaluation_duration_seconds', 'recsysops_notifier_delivery_duration_seconds'];

/** unknownMetrics returns the recsysops_* names in text that the daemon does not export. */
function unknownMetrics(text: string): string[] {
  const known = new Set<string>(EXPORTED_METRICS);
  for (const h of HISTOGRAMS) for (const suffix of ['_bucket', '_sum', '_count']) known.add(h + suffix);
  return [...new Set(text.match(/\brecsysops_[a-z0-9_]+/g) ?? [])].filter((name) => !known.has(name));
}

/** walk yields every object and array nested in value, value included. */
function* walk(value: unknown): Generator<any> {
  if (value === null || typeof value !== 'object') return;
  yield value;
  for (const child of Array.isArray(value) ? value : Object.values(value)) yield* walk(child);
}

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

/** mounts reads a compose service's volumes in both the short ("src:dst[:mode]") and long syntax. */
function mounts(service: any): Mount[] {
  return (service.volumes ?? []).map((v: any): Mount => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      const bind = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
      return { source, target, bind };
    }
    return { source: v.source, target: v.target, bind: v.type === 'bind' };
  });
}

/** ports reads a compose service's ports as {published, target} numbers. */
function ports(service: any): { published?: number; target: number }[] {
  return (service.ports ?? []).map((p: any) => {
    if (typeof p === 'object') return { published: Number(p.published), target: Number(p.target) };
    const parts = String(p).split('/')[0].split(':');
    const target = Number(parts[parts.length - 1]);
    return { published: parts.length > 1 ? Number(parts[parts.length - 2]) : undefined, target };
  });
}

const norm = (p: string): string => p.replace(/\/+$/, '');

const compose = readYaml('docker-compose.yml');
const services: Record<string, any> = compose.services ?? {};
const dockerfile = read('Dockerfile');
const prometheus = readYaml('dashboards/prometheus/prometheus.yml');
const rulesDir = 'dashboards/prometheus/rules';
const ruleFiles = readdirSync(join(root, rulesDir))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => join(rulesDir, f));
const dashboardDir = 'dashboards/grafana/json';
const dashboardFiles = readdirSync(join(root, dashboardDir))
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(dashboardDir, f));

describe('docker-compose.yml', () => {
  test('parses and has the recsysops, prometheus and grafana services', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['recsysops', 'prometheus', 'grafana']));
  });

  test('every bind-mounted host path exists in the repo', () => {
    const missing: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const m of mounts(service).filter((x) => x.bind)) {
        if (isAbsolute(m.source) || m.source.startsWith('~')) missing.push(`${name}: ${m.source} is outside the repo`);
        else if (!existsSync(join(root, m.source))) missing.push(`${name}: ${m.source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('every named volume is declared at the top level', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = Object.values(services).flatMap((s) => mounts(s).filter((m) => !m.bind).map((m) => m.source));
    expect(used.filter((v) => !declared.includes(v))).toEqual([]);
  });

  test('every depends_on names a service', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect(`${name} -> ${dep}: ${dep in services}`).toBe(`${name} -> ${dep}: true`);
    }
  });

  test('recsysops is built from this repo, listens on all interfaces and keeps its state in a named volume', () => {
    const rso = services.recsysops;
    expect(rso.build === '.' || rso.build?.context === '.').toBe(true);
    expect(rso.command.join(' ')).toContain('--metrics-host 0.0.0.0');
    expect(mounts(rso)).toEqual(expect.arrayContaining([expect.objectContaining({ target: '/var/lib/recsysops', bind: false })]));
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = (keyword: string): string[] => instructions.filter((l) => l.toUpperCase().startsWith(keyword + ' ')).map((l) => l.slice(keyword.length + 1).trim());

  test('EXPOSE equals the port compose publishes for recsysops', () => {
    const exposed = args('EXPOSE').flatMap((a) => a.split(/\s+/)).map((p) => Number(p.split('/')[0]));
    expect(exposed).toEqual([9464]);
    expect(ports(services.recsysops).map((p) => p.target)).toEqual(exposed);
  });

  test('copies only paths that exist, and the entrypoint is the compiled CLI', () => {
    for (const copy of args('COPY').filter((a) => !a.startsWith('--from'))) {
      const sources = copy.split(/\s+/).slice(0, -1);
      for (const s of sources) expect(`${s}: ${existsSync(join(root, s))}`).toBe(`${s}: true`);
    }
    expect(args('ENTRYPOINT')).toEqual(['["node", "dist/cli/main.js"]']);
    expect(existsSync(join(root, 'src/cli/main.ts'))).toBe(true);
  });

  test('runs as a non-root user with the state directory as a volume', () => {
    const users = args('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(dockerfile).toMatch(/RECSYSOPS_STATE=\/var\/lib\/recsysops/);
    expect(args('VOLUME').join(' ')).toContain('/var/lib/recsysops');
  });

  test('.dockerignore keeps local builds, state and git out of the context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.recsysops', '.cache', 'coverage', '.git']));
  });
});

describe('Prometheus', () => {
  test('scrapes the recsysops service on the port it exposes', () => {
    const job = prometheus.scrape_configs.find((j: any) => j.job_name === 'recsysops');
    expect(job).toBeDefined();
    const targets: string[] = job.static_configs.flatMap((c: any) => c.targets);
    const published = ports(services.recsysops).map((p) => p.target);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      const [host, port] = t.split(':');
      expect(host).toBe('recsysops');
      expect(published).toContain(Number(port));
    }
  });

  test('loads the rules directory compose mounts next to its config', () => {
    const prom = mounts(services.prometheus);
    const config = prom.find((m) => norm(m.source) === './dashboards/prometheus/prometheus.yml');
    const rules = prom.find((m) => norm(m.source) === './dashboards/prometheus/rules');
    expect(config?.target).toBe('/etc/prometheus/prometheus.yml');
    expect(rules && norm(rules.target)).toBe('/etc/prometheus/rules');
    expect(prometheus.rule_files).toContain('rules/*.yml');
  });

  test.each(ruleFiles)('%s: every rule has alert, expr, labels.severity, annotations.summary and known metrics', (file) => {
    const doc = readYaml(file);
    const rules = doc.groups.flatMap((g: any) => g.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule).toEqual(
        expect.objectContaining({
          alert: expect.any(String),
          expr: expect.any(String),
          labels: expect.objectContaining({ severity: expect.any(String) }),
          annotations: expect.objectContaining({ summary: expect.any(String) }),
        }),
      );
      expect({ alert: rule.alert, unknown: unknownMetrics(rule.expr) }).toEqual({ alert: rule.alert, unknown: [] });
    }
  });

  test('the daemon health rules are all there', () => {
    const alerts = readYaml(join(rulesDir, 'recsysops-daemon.yml')).groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining(['RecsysopsDown', 'RecsysopsNotifierFailing', 'RecsysopsMalformedEvents', 'RecsysopsNoEvents', 'RecsysopsCheckFiring']),
    );
  });

  const promtool = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'promtool'))
    .find((p) => existsSync(p));
  const promtoolTest = promtool ? test : test.skip;
  promtoolTest(
    promtool ? 'promtool check rules accepts every rules file' : 'promtool check rules (SKIPPED: promtool is not on PATH; a later issue installs it)',
    () => {
      const result = spawnSync(promtool!, ['check', 'rules', ...ruleFiles], { cwd: root, encoding: 'utf8' });
      expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.any(String) });
    },
  );
});

describe('Grafana', () => {
  const datasources = readYaml('dashboards/grafana/provisioning/datasources/prometheus.yml').datasources;
  const providers = readYaml('dashboards/grafana/provisioning/dashboards/recsysops.yml').providers;

  test('provisions a Prometheus datasource with uid "prometheus" at the compose prometheus service', () => {
    const prom = datasources.find((d: any) => d.type === 'prometheus');
    expect(prom).toEqual(expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }));
    expect(ports(services.prometheus).map((p) => p.target)).toContain(9090);
  });

  test('the dashboard provider reads the directory compose mounts the JSON into', () => {
    const json = mounts(services.grafana).find((m) => norm(m.source) === './dashboards/grafana/json');
    expect(json).toBeDefined();
    expect(providers.map((p: any) => norm(p.options.path))).toContain(norm(json!.target));
  });

  test('anonymous viewers are enabled', () => {
    const env = services.grafana.environment;
    expect(String(env.GF_AUTH_ANONYMOUS_ENABLED)).toBe('true');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
  });

  test('there is at least one dashboard', () => {
    expect(dashboardFiles.length).toBeGreaterThan(0);
  });

  describe.each(dashboardFiles)('%s', (file) => {
    const text = read(file);
    const dashboard = JSON.parse(text);
    const uid = datasources.find((d: any) => d.type === 'prometheus').uid;
    const panels: any[] = [...walk(dashboard.panels)].filter((o) => !Array.isArray(o) && o.gridPos !== undefined);

    test('has a uid, a title and panels', () => {
      expect(dashboard.uid).toEqual(expect.any(String));
      expect(dashboard.title).toEqual(expect.any(String));
      expect(panels.length).toBeGreaterThan(0);
    });

    test('panel ids are unique and every panel has a gridPos', () => {
      const ids = panels.map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels) expect(Object.keys(p.gridPos).sort()).toEqual(['h', 'w', 'x', 'y']);
    });

    test('every panel has a target with an expr', () => {
      for (const p of panels.filter((x) => x.type !== 'row')) {
        expect({ panel: p.title, hasExpr: (p.targets ?? []).some((t: any) => typeof t.expr === 'string' && t.expr.trim() !== '') }).toEqual({
          panel: p.title,
          hasExpr: true,
        });
      }
    });

    test('every datasource reference is the provisioned Prometheus', () => {
      const refs = [...walk(dashboard)].filter((o) => !Array.isArray(o) && o.datasource !== undefined).map((o) => o.datasource);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toEqual({ type: 'prometheus', uid });
    });

    test('uses only metrics the daemon exports', () => {
      // The whole file, not just exprs: descriptions and variable queries name metrics too.
      expect(unknownMetrics(text)).toEqual([]);
    });
  });

  test('the overview dashboard has its uid, schema, check variable and band panel', () => {
    const d = JSON.parse(read(join(dashboardDir, 'recsysops-overview.json')));
    expect(d).toEqual(expect.objectContaining({ uid: 'recsysops-overview', title: 'recsysops — overview', schemaVersion: 39 }));
    const check = d.templating.list.find((v: any) => v.name === 'check');
    expect(check).toEqual(expect.objectContaining({ multi: true, includeAll: true, definition: 'label_values(recsysops_check_value, check)' }));
    const band = d.panels.find((p: any) => p.repeat === 'check');
    const sel = '{check=~"$check", surface=~"$surface", model_version=~"$model_version"}';
    expect(band.targets.map((t: any) => t.expr)).toEqual([`recsysops_check_value${sel}`, `recsysops_check_expected_lower${sel}`, `recsysops_check_expected_upper${sel}`]);
    const fill = band.fieldConfig.overrides.flatMap((o: any) => o.properties).find((p: any) => p.id === 'custom.fillBelowTo');
    expect(band.targets.map((t: any) => t.legendFormat)).toContain(fill.value);
  });
});

describe('generated dashboards', () => {
  const plugins = builtinPlugins();
  const { checks } = loadChecks(join(root, 'checks'), plugins.checkKinds, plugins.detectors);
  const generated = generateDashboards(checks.map((c) => ({ name: c.def.name, kind: c.def.kind })));

  test('the committed JSON is what dashboards/generate.mjs writes for the shipped checks (regenerate: npm run build && node dashboards/generate.mjs)', () => {
    expect(dashboardFiles.map((f) => f.split('/').pop()).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) expect({ file, text: read(join(dashboardDir, file)) }).toEqual({ file, text });
  });

  test('overview, data, model, cold-start and daemon dashboards, each with the check, surface and model_version variables and alert annotations', () => {
    const uids = Object.values(generated).map((t) => JSON.parse(t).uid);
    expect(uids.sort()).toEqual(['recsysops-cold-start', 'recsysops-daemon', 'recsysops-data', 'recsysops-model', 'recsysops-overview']);
    for (const text of Object.values(generated)) {
      const d = JSON.parse(text);
      expect(d.templating.list.map((v: any) => v.name)).toEqual(['check', 'surface', 'model_version']);
      expect(d.annotations.list.length).toBeGreaterThan(0);
    }
  });

  test('each topical dashboard shows exactly the checks of its kinds, with the value next to its expected band', () => {
    const kindOf = Object.fromEntries(checks.map((c) => [c.def.name, c.def.kind]));
    const expectKinds: Record<string, string[]> = {
      'recsysops-data.json': ['volume', 'freshness', 'duplicate-rate'],
      'recsysops-model.json': ['engagement-rate', 'feature-quality', 'latency'],
      'recsysops-cold-start.json': ['cold-start'],
    };
    for (const [file, kinds] of Object.entries(expectKinds)) {
      const d = JSON.parse(generated[file]);
      const def = d.templating.list[0].definition as string;
      const names = /check=~"([^"]*)"/.exec(def)![1].split('|');
      expect({ file, kinds: [...new Set(names.map((n) => kindOf[n]))].sort() }).toEqual({ file, kinds: [...kinds].sort() });
      const band = d.panels.find((p: any) => p.repeat === 'check');
      expect(band.targets.map((t: any) => t.expr.split('{')[0])).toEqual(['recsysops_check_value', 'recsysops_check_expected_lower', 'recsysops_check_expected_upper']);
    }
  });
});

describe('the full stack in docker-compose.yml', () => {
  const rsoConfigMount = mounts(services.recsysops).find((m) => m.target === '/etc/recsysops/recsysops.yaml');
  const rsoConfig = rsoConfigMount ? readYaml(rsoConfigMount.source) : undefined;
  const portOf = (name: string): number[] => ports(services[name] ?? {}).map((p) => p.target);

  test('has Alertmanager with the generated config and a mail catcher', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['alertmanager', 'mailpit']));
    const am = mounts(services.alertmanager).find((m) => norm(m.source) === './dashboards/alertmanager/alertmanager.yml');
    expect(am?.target).toBe('/etc/alertmanager/alertmanager.yml');
    expect(services.alertmanager.command).toContain(`--config.file=${am!.target}`);
    expect(portOf('alertmanager')).toContain(9093);
  });

  test('the daemon runs the mounted config, which exists and is valid', () => {
    expect(rsoConfigMount).toBeDefined();
    const cmd: string[] = services.recsysops.command;
    expect(cmd[cmd.indexOf('-c') + 1]).toBe(rsoConfigMount!.target);
    const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'validate', '-c', rsoConfigMount!.source, '--checks', 'checks'], { cwd: root, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test("the daemon's email notifier points at the mail catcher's SMTP port, its alertmanager notifier at the Alertmanager service", () => {
    const email = rsoConfig.notifiers.find((n: any) => n.kind === 'email');
    expect(email.host).toBe('mailpit');
    expect(portOf('mailpit')).toContain(email.port);
    const am = rsoConfig.notifiers.find((n: any) => n.kind === 'alertmanager');
    const u = new URL(am.url);
    expect(u.hostname).toBe('alertmanager');
    expect(portOf('alertmanager')).toContain(Number(u.port));
    expect(services.recsysops.depends_on).toEqual(expect.arrayContaining(['alertmanager', 'mailpit']));
  });

  test('Prometheus alerts to the Alertmanager service', () => {
    const targets: string[] = prometheus.alerting.alertmanagers.flatMap((a: any) => a.static_configs.flatMap((c: any) => c.targets));
    expect(targets).toEqual(['alertmanager:9093']);
    expect(portOf('alertmanager')).toContain(9093);
  });

  test('no two services publish the same host port', () => {
    const published = Object.entries(services).flatMap(([name, svc]) => ports(svc).filter((p) => p.published !== undefined).map((p) => `${p.published}`));
    expect(published.filter((p, i) => published.indexOf(p) !== i)).toEqual([]);
  });

  test("Grafana's home dashboard is one of the mounted dashboards", () => {
    const home = services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    const json = mounts(services.grafana).find((m) => norm(m.source) === './dashboards/grafana/json')!;
    expect(home.startsWith(`${norm(json.target)}/`)).toBe(true);
    expect(existsSync(join(root, 'dashboards/grafana/json', home.slice(norm(json.target).length + 1)))).toBe(true);
  });
});

describe('EXPORTED_METRICS against the running daemon', () => {
  test("equals the recsysops_* metric names the daemon's registry serves on /metrics", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rso-metrics-'));
    const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'start', '--state', dir, '--metrics-port', '0'], {
      cwd: dir,
      env: { ...process.env, RECSYSOPS_CONFIG: undefined, RECSYSOPS_STATE: undefined },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise((r) => child.on('exit', r));
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          const m = /metrics=(http:\/\/\S+\/metrics)/.exec(stderr);
          if (m) resolveUrl(m[1]);
        });
        child.on('exit', () => reject(new Error(`the daemon exited:\n${stderr}`)));
      });
      const text = await (await fetch(url)).text();
      const served = [...text.matchAll(/^# TYPE (recsysops_\w+) /gm)].map((m) => m[1]).sort();
      expect(served).toEqual([...EXPORTED_METRICS].sort());
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
