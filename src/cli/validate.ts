import { resolveConfigPath } from '../config/config';
import { loadAll } from '../daemon';
import { builtinPlugins } from '../plugins';

/** validateCommand loads everything the daemon would and reports every problem (exit 1) or a summary. */
export async function validateCommand(opts: { config?: string; checks?: string }): Promise<void> {
  const configPath = resolveConfigPath(opts.config, process.env);
  const { config, checks, disabled, checksDir } = loadAll({ configPath, checksDir: opts.checks, plugins: builtinPlugins() });
  process.stdout.write(`ok: ${config.file}: ${config.sources.length} source(s), ${config.notifiers.length} notifier(s)\n`);
  // disabled checks are validated too, so they are listed, and named once more as not run
  const all = [...checks, ...disabled].sort((a, b) => a.file.localeCompare(b.file));
  process.stdout.write(`ok: ${checksDir}: ${all.length} check(s)${disabled.length ? `, ${disabled.length} not run (enabled: false)` : ''}\n`);
  for (const c of all) process.stdout.write(`  ${c.def.name.padEnd(28)} ${c.def.kind.padEnd(16)} ${c.def.detector.kind}\n`);
  if (disabled.length) process.stdout.write(`  not run (enabled: false): ${disabled.map((c) => c.def.name).join(', ')}\n`);
}
