import { z } from 'zod';
import { formatDuration, parseDuration } from '../detectors/duration';

export { formatDuration, parseDuration };

/** durationSchema: a YAML duration (`5m`, `1h`, or milliseconds) parsed into milliseconds; zero allowed. */
export const durationSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
