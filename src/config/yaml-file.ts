import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigProblem } from '../errors';

const SECRET_KEY = /^(pass(word)?|secret|token|api_key|sasl_password)$/i;

/** YamlFile is a parsed YAML file that can say on which line a path inside it is. */
export class YamlFile {
  readonly data: unknown;
  readonly problems: ConfigProblem[] = [];
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(readonly file: string, text?: string) {
    let source = text;
    if (source === undefined) {
      try {
        source = readFileSync(file, 'utf8');
      } catch (err) {
        this.problems.push({ file, path: '', message: `cannot read: ${(err as Error).message}` });
        source = '';
      }
    }
    this.doc = parseDocument(source, { lineCounter: this.lines, prettyErrors: true });
    for (const e of this.doc.errors) {
      const pos = e.linePos?.[0];
      this.problems.push({ file, path: pos ? `line ${pos.line}, column ${pos.col}` : '', message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:$/, '') });
    }
    this.data = this.problems.length ? undefined : this.doc.toJS();
  }

  /** where returns `path (line N)` for a path inside the document, or just the path; with `unknownKey`, the line of that key. */
  where(path: ReadonlyArray<PropertyKey>, unknownKey?: string): string {
    const dotted = formatPath(path);
    // An unknown key is reported at its mapping's path but on its own line, where the typo is.
    const line = unknownKey === undefined ? undefined : this.keyLine(path, unknownKey);
    if (line !== undefined) return `${dotted || '(top level)'} (line ${line})`;
    // Walk up to the deepest node that exists (a missing key is reported at its parent's line).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, depth) as unknown[], true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return `${dotted || '(top level)'} (line ${this.lines.linePos(range[0]).line})`;
    }
    return dotted;
  }

  /** problemsOf turns a zod error into problems naming this file, the path and what was expected. */
  problemsOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ConfigProblem[] {
    return error.issues.map((issue) => {
      const path = [...prefix, ...issue.path];
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys;
        const secret = keys.find((k) => SECRET_KEY.test(k));
        message = secret
          ? `"${secret}" is not allowed here: secrets are never read from YAML; name the environment variable that holds it (e.g. ${secret}_env: SMTP_PASSWORD)`
          : `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return { file: this.file, path: this.where(path, issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined), message };
    });
  }

  /** keyLine is the line of `key` in the mapping at `path`, where an unknown key is to be found. */
  private keyLine(path: ReadonlyArray<PropertyKey>, key: string): number | undefined {
    const node = path.length ? this.doc.getIn(path as unknown[], true) : this.doc.contents;
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    return range ? this.lines.linePos(range[0]).line : undefined;
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}
