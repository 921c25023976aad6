import { createHash } from 'node:crypto';
import { labelsKey } from '../check-kinds/kind';

/** fingerprint identifies one alert: a hash of the check name and the series' sorted labels. */
export function fingerprint(check: string, labels: Record<string, string>): string {
  return createHash('sha256').update(`${check}\u0000${labelsKey(labels)}`).digest('hex').slice(0, 16);
}
