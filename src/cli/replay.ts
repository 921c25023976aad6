import { resolveConfigPath } from '../config/config';
import { resolveStateDir } from '../daemon';
import { builtinPlugins } from '../plugins';
import { replay } from '../replay';
import { cliLogger } from './context';

/** replayCommand: checks over recorded events; with --json, alert records on stdout, logs on stderr. */
export async function replayCommand(files: string[], opts: { config?: string; checks?: string; state?: string; json?: boolean; verbose?: boolean }): Promise<void> {
  const env = process.env;
  const logger = cliLogger(env, opts);
  const stateDir = resolveStateDir(opts.state, undefined, env);
  const summary = await replay({
    files,
    configPath: resolveConfigPath(opts.config, env),
    checksDir: opts.checks,
    stateDir,
    plugins: builtinPlugins({ consoleStream: process.stderr }),
    logger,
    onAlert: opts.json ? (a) => process.stdout.write(JSON.stringify(a) + '\n') : undefined,
  });
  const total = Object.values(summary.events).reduce((a, b) => a + b, 0);
  const bad = Object.entries(summary.malformed);
  const out = opts.json ? process.stderr : process.stdout;
  out.write(
    `replayed ${total} events (${Object.entries(summary.events).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'})` +
      `${bad.length ? `; malformed ${bad.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''}` +
      `${summary.late ? `; late ${summary.late}` : ''}\n`,
  );
  const firing = summary.alerts.filter((a) => a.status === 'firing');
  out.write(`${firing.length} alert(s) fired, ${summary.alerts.length - firing.length} resolved; ${summary.issues.length} issue(s) in ${stateDir}\n`);
  if (!opts.json) {
    for (const a of summary.alerts) out.write(`  ${a.startsAt}  ${a.status.padEnd(8)} ${a.issue_id}  ${a.summary}\n`);
    if (summary.issues.length) out.write(`next: recsysops issues show ${summary.issues[0]} --state ${stateDir}\n`);
  }
}
