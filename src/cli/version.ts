import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** version reads the package version once, from package.json next to dist/ or src/. */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
