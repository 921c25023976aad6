import { resolveConfigPath } from '../config/config';
import { loadAll } from '../daemon';
import { builtinPlugins } from '../plugins';
import type { CheckDefinition } from '../check-kinds/kind';
import { alertmanagerConfig, type CheckDependency } from '../notify/alertmanager-config';

/** alertmanagerConfigCommand prints an alertmanager.yml whose inhibit_rules follow the checks' depends_on. */
export async function alertmanagerConfigCommand(opts: { config?: string; checks?: string }): Promise<void> {
  const configPath = resolveConfigPath(opts.config, process.env);
  const { checks, checksDir } = loadAll({ configPath, checksDir: opts.checks, plugins: builtinPlugins() });
  process.stdout.write(alertmanagerConfig(checkDependencies(checks.map((c) => c.def)), { source: sourceLabel(checksDir) }));
}

/** checkDependencies picks from check definitions what the generator needs. */
export function checkDependencies(defs: readonly CheckDefinition[]): CheckDependency[] {
  return defs.map((d) => ({
    name: d.name,
    depends_on: d.depends_on,
    by: Array.isArray((d as { by?: unknown }).by) ? ((d as { by?: string[] }).by as string[]) : undefined,
    repeat_interval: d.repeat_interval,
  }));
}

/** sourceLabel: the checks directory relative to the working directory when inside it (a stable header). */
function sourceLabel(dir: string): string {
  const cwd = process.cwd();
  return dir.startsWith(`${cwd}/`) ? `${dir.slice(cwd.length + 1)}/` : dir;
}
