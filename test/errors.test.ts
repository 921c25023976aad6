import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('error codes', () => {
  test('every RSO_ERR_* code raised in src/ is documented in docs/errors.md, and every documented one is used', () => {
    const used = new Set<string>();
    for (const f of sources(join(__dirname, '..', 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(/'(RSO_ERR_[A-Z_]+)'/g)) used.add(m[1]);
    const doc = readFileSync(join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/`(RSO_ERR_[A-Z_]+)`/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...documented].sort());
  });
});
