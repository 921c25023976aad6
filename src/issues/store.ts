import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IssueNotFoundError, UsageError } from '../errors';
import { writeFileAtomic } from '../util/atomic-write';
import type { Capture, Issue } from './issue';

/**
 * IssueStore keeps issues as files under `<state>/issues/<id>/`: issue.json (evidence, status,
 * diagnosis) and capture.json (the sampled model inputs), each written atomically, so the daemon,
 * `replay`, `issues` and `diagnose` can share one state directory.
 */
export class IssueStore {
  readonly dir: string;
  constructor(readonly stateDir: string) {
    this.dir = join(stateDir, 'issues');
  }

  /** issueId is derived from the alert's fingerprint and start, so a replay opens the same ids again. */
  static issueId(fingerprint: string, activeAt: number): string {
    return createHash('sha256').update(`${fingerprint}@${activeAt}`).digest('hex').slice(0, 8);
  }

  save(issue: Issue, capture?: Capture): void {
    const dir = join(this.dir, issue.id);
    if (capture) writeFileAtomic(join(dir, 'capture.json'), JSON.stringify(capture));
    writeFileAtomic(join(dir, 'issue.json'), JSON.stringify(issue, null, 2) + '\n');
  }

  update(id: string, patch: (issue: Issue) => Issue): Issue {
    const next = patch(this.get(id));
    this.save(next);
    return next;
  }

  /** get accepts a full id or an unambiguous prefix, like git. */
  get(idOrPrefix: string): Issue {
    return JSON.parse(readFileSync(join(this.dir, this.resolveId(idOrPrefix), 'issue.json'), 'utf8')) as Issue;
  }

  capture(id: string): Capture {
    const file = join(this.dir, this.resolveId(id), 'capture.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Capture) : { failing: null, reference: null };
  }

  /** list returns every issue, newest first. */
  list(): Issue[] {
    if (!existsSync(this.dir)) return [];
    const out: Issue[] = [];
    for (const id of readdirSync(this.dir)) {
      const file = join(this.dir, id, 'issue.json');
      if (existsSync(file)) out.push(JSON.parse(readFileSync(file, 'utf8')) as Issue);
    }
    return out.sort((a, b) => b.opened_at.localeCompare(a.opened_at) || a.id.localeCompare(b.id));
  }

  private resolveId(idOrPrefix: string): string {
    if (!/^[0-9a-f]{1,64}$/i.test(idOrPrefix)) throw new UsageError(`"${idOrPrefix}" is not an issue id (8 hex digits, or a prefix of them)`);
    const id = idOrPrefix.toLowerCase();
    if (existsSync(join(this.dir, id, 'issue.json'))) return id;
    const matches = existsSync(this.dir) ? readdirSync(this.dir).filter((d) => d.startsWith(id)) : [];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new UsageError(`issue id prefix "${idOrPrefix}" is ambiguous: ${matches.join(', ')}`);
    throw new IssueNotFoundError(idOrPrefix, this.stateDir);
  }
}
