import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DemoWorld } from '../demo/world';
import { defaultFaultSchedule, noFaults } from '../demo/faults';
import { demoScore } from '../demo/model';
import { startModelServer } from '../demo/model-server';
import { parseDuration } from '../config/duration';
import { UsageError } from '../errors';
import { progressBar } from './progress';

const HOUR = 3_600_000;

/**
 * demoRecordCommand writes the demo world's events for a stretch of simulated time as NDJSON, so a
 * user can try `replay` and `diagnose` on recorded data without running the daemon.
 */
export async function demoRecordCommand(opts: { output: string; duration: string; start: string; faults: string; seed: string }): Promise<void> {
  const duration = parseDuration(opts.duration);
  const start = Date.parse(opts.start);
  if (!Number.isFinite(start)) throw new UsageError(`--start must be an ISO-8601 time, not "${opts.start}"`);
  if (opts.faults !== 'default' && opts.faults !== 'none') throw new UsageError(`--faults must be default or none, not "${opts.faults}"`);
  const world = new DemoWorld({ seed: Number(opts.seed), startTime: start, faults: opts.faults === 'none' ? noFaults() : defaultFaultSchedule() });
  const out = opts.output === '-' ? process.stdout : createWriteStream(opts.output);
  const bar = progressBar('recording');
  let events = 0;
  for (let t = start; t < start + duration; t += HOUR) {
    for (const e of world.step(t, Math.min(t + HOUR, start + duration))) {
      events++;
      if (!out.write(JSON.stringify(e) + '\n')) await once(out, 'drain');
    }
    bar.update(Math.min(t + HOUR, start + duration) - start, duration);
  }
  bar.done();
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
    process.stderr.write(`wrote ${events} events (${opts.duration} of simulated time from ${new Date(start).toISOString()}) to ${opts.output}\n`);
  }
}

/** demoModelServerCommand serves the demo model over the HTTP model protocol and KServe v2. */
export async function demoModelServerCommand(opts: { port: string; host: string }): Promise<void> {
  const server = await startModelServer({ score: demoScore, port: Number(opts.port), host: opts.host });
  process.stderr.write(
    `demo model listening: ${server.url}\n  generic protocol: POST ${server.url}/models/{version}/score\n  KServe v2:        POST ${server.url}/v2/models/demo/versions/{version}/infer\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
}
