import { resolveConfigPath } from '../config/config';
import { loadAll } from '../daemon';
import { builtinPlugins } from '../plugins';

/** validateCommand loads everything the daemon would and reports every problem (exit 1) or a summary. */
export async function validateCommand(opts: { config?: string; checks?: string }): Promise<void> {
  const configPath = resolveConfigPath(opts.config, process.env);
  const { config, checks, checksDir } = loadAll({ configPath, checksDir: opts.checks, plugins: builtinPlugins() });
  process.stdout.write(`ok: ${config.file}: ${config.sources.length} source(s), ${config.notifiers.length} notifier(s)\n`);
  process.stdout.write(`ok: ${checksDir}: ${checks.length} check(s)\n`);
  for (const c of checks) process.stdout.write(`  ${c.def.name.padEnd(28)} ${c.def.kind.padEnd(16)} ${c.def.detector.kind}\n`);
}
