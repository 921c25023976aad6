#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, reportError } from './context';
import { startCommand } from './start';
import { validateCommand } from './validate';
import { replayCommand } from './replay';
import { backtestCommand } from './backtest';
import { issuesListCommand, issuesMarkCommand, issuesShowCommand } from './issues';
import { diagnoseCommand } from './diagnose';
import { version } from './version';
import { demoModelServerCommand, demoRecordCommand } from './demo';
import { demoProduceCommand, produceCommand } from './produce';
import { alertmanagerConfigCommand } from './alertmanager-config';
import { DEFAULT_DETECTOR } from '../detectors';

/** The options several commands share, so they read the same everywhere. */
const opt = {
  config: () => new Option('-c, --config <file>', 'recsysops.yaml (default: $RECSYSOPS_CONFIG, ./recsysops.yaml, else the built-in demo)'),
  checks: () => new Option('--checks <dir>', 'directory of check YAML files (default: ./checks, else the shipped examples)'),
  state: () => new Option('--state <dir>', 'state directory with issues and alert state (default: $RECSYSOPS_STATE or ./.recsysops)'),
  verbose: () => new Option('-v, --verbose', 'debug logging on stderr'),
};

export function buildProgram(): Command {
  const program = new Command('recsysops')
    .description('Issue detection and diagnosis for recommender systems: detect, predict, diagnose, resolve.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  recsysops start                          run the built-in demo world; alerts appear within two minutes
  recsysops issues list                    issues opened so far
  recsysops diagnose 7f3a9c21              replay an issue's captured inputs: data or model?

Exit codes: 0 ok, 1 findings (invalid config, failed diagnosis), 2 usage error.`,
    );

  program
    .command('start')
    .description('run the daemon (with no config: the built-in demo world, a simulated recommender with injected faults)')
    .addOption(opt.config())
    .addOption(opt.checks())
    .addOption(opt.state())
    .option('--metrics-port <port>', 'port of /metrics (default 9464; 0 picks a free one)', parsePort)
    .option('--metrics-host <host>', 'address of /metrics (default 127.0.0.1)')
    .addOption(opt.verbose())
    .addHelpText('after', '\nExamples:\n  recsysops start\n  recsysops start -c recsysops.yaml --metrics-port 9500\n  curl -s 127.0.0.1:9464/metrics | grep recsysops_check_status')
    .action(startCommand);

  program
    .command('validate')
    .description('check recsysops.yaml and every check file; prints each problem with its file and path')
    .addOption(opt.config())
    .addOption(opt.checks())
    .addHelpText('after', '\nExamples:\n  recsysops validate --checks checks/\n  recsysops validate -c recsysops.yaml && echo ok')
    .action(validateCommand);

  program
    .command('replay')
    .description('run the checks over recorded NDJSON events in event time; write alerts and issues into the state directory')
    .argument('<events...>', 'NDJSON files of events (the Kafka message contract)')
    .addOption(opt.config())
    .addOption(opt.checks())
    .addOption(opt.state())
    .option('--json', 'print one alert record per line on stdout (logs stay on stderr)')
    .addOption(opt.verbose())
    .addHelpText('after', '\nExamples:\n  recsysops replay --state /tmp/st events.ndjson\n  recsysops replay --json --checks my-checks/ day1.ndjson day2.ndjson | jq .summary')
    .action(replayCommand);

  program
    .command('backtest')
    .description('run one detector over a timestamp,value CSV; writes timestamp,value,anomaly_score,is_anomaly (causal)')
    .argument('<series.csv>', 'CSV with timestamp,value rows (ISO-8601, epoch ms or epoch s)')
    .option('--detector <name>', `detector kind (default ${DEFAULT_DETECTOR})`)
    .option('--check <file>', 'take the detector and its params from a check YAML file (--param still overrides)')
    .option('--param <k=v>', 'detector parameter, repeatable (--param threshold=3 --param direction=down)', collect, [])
    .option('-o, --output <file>', 'write the CSV here instead of stdout')
    .addHelpText('after', '\nExamples:\n  recsysops backtest volume.csv -o scored.csv\n  recsysops backtest --check checks/impressions-volume.yaml volume.csv\n  recsysops backtest --detector threshold --param max=0.2 null-rate.csv')
    .action(backtestCommand);

  const issues = program
    .command('issues')
    .description('the issue store: issues opened by firing alerts')
    .addHelpText('after', '\nExamples:\n  recsysops issues                       the same as issues list\n  recsysops issues list --status open\n  recsysops issues show 7f3a9c21\n  recsysops issues mark 7f3a9c21 false-alarm --note "planned backfill"');
  issues
    .command('list', { isDefault: true })
    .description('list issues, newest first')
    .addOption(opt.state())
    .option('--json', 'one JSON object per issue per line')
    .option('--status <status>', 'only open, resolved or false-alarm issues')
    .addHelpText('after', '\nExamples:\n  recsysops issues list\n  recsysops issues list --status open --json')
    .action(issuesListCommand);
  issues
    .command('show')
    .description('show one issue: evidence, captured inputs, diagnosis')
    .argument('<id>', 'issue id (or an unambiguous prefix)')
    .addOption(opt.state())
    .option('--json', 'the issue as JSON')
    .addHelpText('after', '\nExamples:\n  recsysops issues show 7f3a9c21\n  recsysops issues show 7f3a --json | jq .evidence')
    .action(issuesShowCommand);
  issues
    .command('mark')
    .description('mark an issue a false alarm (resolves its alert; the detector learns its values) or confirm it an incident')
    .argument('<id>', 'issue id (or an unambiguous prefix)')
    .argument('<mark>', 'false-alarm or incident')
    .option('--note <text>', 'why, kept with the mark')
    .option('--by <name>', 'who marks it (default: $RECSYSOPS_USER or $USER)')
    .addOption(opt.state())
    .addHelpText('after', '\nExamples:\n  recsysops issues mark 7f3a9c21 false-alarm --note "planned backfill"\n  recsysops issues mark 7f3a9c21 incident')
    .action(issuesMarkCommand);

  program
    .command('diagnose')
    .description("replay an issue's captured model inputs in isolation and tell a data problem from a model problem")
    .argument('<id>', 'issue id (or an unambiguous prefix)')
    .addOption(opt.config())
    .addOption(opt.state())
    .option('--model-url <url>', 'model endpoint of the generic HTTP protocol ({version} is replaced)')
    .addOption(new Option('--json', 'machine-readable report').conflicts('markdown'))
    .addOption(new Option('--markdown', 'report to paste into an incident ticket').conflicts('json'))
    .addHelpText('after', '\nExamples:\n  recsysops diagnose 7f3a9c21\n  recsysops diagnose 7f3a9c21 --model-url http://127.0.0.1:8080/models/{version}/score --json')
    .action(diagnoseCommand);

  const demo = program
    .command('demo')
    .description('the built-in demo world outside the daemon: record its events, serve its model')
    .addHelpText('after', '\nExamples:\n  recsysops demo record --duration 13h -o day.ndjson\n  recsysops demo model-server --port 8080');
  demo
    .command('record')
    .description("write the demo world's events (with its injected faults) as NDJSON, to try replay and diagnose")
    .requiredOption('-o, --output <file>', 'NDJSON file to write ("-" for stdout)')
    .option('--duration <d>', 'simulated time to record', '24h')
    .option('--start <iso>', 'simulated start time; faults follow it at +1h, +3h, +5h, +7h, +9.5h, +11h', '2026-11-23T06:00:00Z')
    .option('--faults <which>', 'default or none', 'default')
    .option('--seed <n>', 'random seed', '42')
    .addHelpText('after', '\nExamples:\n  recsysops demo record -o day.ndjson\n  recsysops demo record --duration 48h --faults none -o clean.ndjson')
    .action(demoRecordCommand);
  demo
    .command('model-server')
    .description('serve the demo ranking model over the generic HTTP model protocol and KServe v2')
    .option('--port <port>', 'port', '8080')
    .option('--host <host>', 'address', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  recsysops demo model-server --port 8080 &\n  recsysops diagnose 7f3a9c21 --model-url http://127.0.0.1:8080/models/{version}/score')
    .action(demoModelServerCommand);
  demo
    .command('produce')
    .description("send the demo world's events into a Kafka topic as they happen (real time by default), for a daemon with a kafka source")
    .requiredOption('--brokers <list>', 'bootstrap brokers, host:port[,host:port…]')
    .requiredOption('--topic <topic>', 'topic to write (one mixed topic: every message has its `type`)')
    .option('--speed <n>', 'simulated seconds per real second; keep 1 unless the daemon tolerates future timestamps', '1')
    .option('--seed <n>', 'random seed', '42')
    .option('--duration <seconds>', 'stop after this many real seconds (default: until Ctrl-C)')
    .addHelpText('after', '\nExamples:\n  recsysops demo produce --brokers 127.0.0.1:9092 --topic recsys-events\n  recsysops demo produce --brokers 127.0.0.1:9092 --topic recsys-events --duration 600')
    .action(demoProduceCommand);

  program
    .command('produce')
    .description('send NDJSON events (one message per line, unchanged) into a Kafka topic, e.g. to replay recorded logs into a test cluster')
    .argument('[files...]', 'NDJSON files, in order; "-" (or none) reads stdin')
    .requiredOption('--brokers <list>', 'bootstrap brokers, host:port[,host:port…]')
    .requiredOption('--topic <topic>', 'topic to write')
    .option('--rate <n>', 'at most this many messages per second (default: as fast as the broker takes them)')
    .option('--key <field>', 'use this JSON field as the message key (e.g. user_id), so its events share a partition')
    .option('--batch <n>', 'messages per produce request', '500')
    .addHelpText('after', '\nExamples:\n  recsysops demo record --duration 2h -o day.ndjson\n  recsysops produce --brokers 127.0.0.1:9092 --topic recsys-events day.ndjson\n  zcat old.ndjson.gz | recsysops produce --brokers 127.0.0.1:9092 --topic recsys-events --rate 2000 -')
    .action(produceCommand);

  program
    .command('alertmanager-config')
    .description("print an alertmanager.yml whose inhibit_rules follow the checks' depends_on (upstream firing holds back downstream)")
    .addOption(opt.config())
    .addOption(opt.checks())
    .addHelpText('after', '\nExamples:\n  recsysops alertmanager-config --checks checks/ > alertmanager.yml\n  amtool check-config alertmanager.yml')
    .action(alertmanagerConfigCommand);

  return program;
}

function parsePort(v: string): number {
  const n = Number(v);
  // InvalidArgumentError (not a bare CommanderError) is what commander prints as "error: option … argument … is invalid".
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one).');
  return n;
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

/** main runs the CLI and maps outcomes to exit codes: usage errors are 2, as documented. */
export async function main(argv: string[]): Promise<number> {
  // `recsysops issues list | head` closes stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildProgram();
  program.exitOverride();
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(err);
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
