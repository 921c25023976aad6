import { resolveConfigPath } from '../config/config';
import { Daemon } from '../daemon';
import { cliLogger } from './context';

interface StartOptions {
  config?: string;
  checks?: string;
  state?: string;
  metricsPort?: number;
  metricsHost?: string;
  verbose?: boolean;
}

/** startCommand runs the daemon until SIGINT/SIGTERM; an invalid config stops it before anything runs. */
export async function startCommand(opts: StartOptions): Promise<void> {
  const env = process.env;
  const logger = cliLogger(env, opts);
  const configPath = resolveConfigPath(opts.config, env);
  const daemon = Daemon.create({
    configPath,
    checksDir: opts.checks,
    stateDir: opts.state,
    metricsPort: opts.metricsPort,
    metricsHost: opts.metricsHost,
    env,
    logger,
  });
  const { metricsUrl } = await daemon.start();
  if (!configPath) {
    process.stderr.write(
      `\n  recsysops is running the built-in demo: a simulated recommender, one simulated day every two minutes,\n` +
        `  with a fault injected every few simulated hours. Alerts print below as they fire.\n\n` +
        `    metrics:  curl -s ${metricsUrl} | grep recsysops_check_status\n` +
        `    issues:   recsysops issues list${opts.state ? ` --state ${opts.state}` : ''}\n` +
        `    diagnose: recsysops diagnose <issue id>${opts.state ? ` --state ${opts.state}` : ''}\n` +
        `    stop:     Ctrl-C\n\n`,
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  logger.info('stopping');
  await daemon.stop();
  // Everything of ours is stopped and flushed; a client library's reconnect timer (kafkajs after a
  // broker outage) must not keep the process alive. unref: this fires only if something still does.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
}
