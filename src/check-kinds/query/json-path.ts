/**
 * A small path syntax for picking values out of JSON answers (JSONPath libraries that are kept up
 * need Node 22; this covers what metric endpoints need):
 *
 *   data.metrics[*].ndcg_at_10      keys separated by dots; [*] every element of an array (or value of an object)
 *   results[0].value, results[-1]   an index; negative counts from the end
 *   ["ndcg@10"], metrics["a.b"]     a quoted key, for keys with dots, brackets or other characters
 *   $ or an empty path              the whole document; a leading "$." is allowed
 */
export type PathStep = { key: string } | { index: number } | { all: true };

/** parsePath turns a path into steps, or throws an Error saying where it stopped making sense. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const s = path.trim();
  if (s.startsWith('$')) i = 1;
  let expectKey = i === 0 && s.length > 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '.') {
      if (expectKey) throw new Error(`unexpected "." at ${i + 1} in "${path}"`);
      expectKey = true;
      i++;
      continue;
    }
    if (ch === '[') {
      const close = s[i + 1] === '"' ? s.indexOf('"]', i + 2) : s.indexOf(']', i);
      if (close < 0) throw new Error(`"[" at ${i + 1} is not closed in "${path}"`);
      const inner = s[i + 1] === '"' ? s.slice(i + 2, close) : s.slice(i + 1, close).trim();
      if (s[i + 1] === '"') {
        steps.push({ key: inner });
        i = close + 2;
      } else if (inner === '*') {
        steps.push({ all: true });
        i = close + 1;
      } else if (/^-?\d+$/.test(inner)) {
        steps.push({ index: Number(inner) });
        i = close + 1;
      } else {
        throw new Error(`expected [*], [number] or ["key"] at ${i + 1} in "${path}"`);
      }
      expectKey = false;
      continue;
    }
    const m = /^[^.[\]"]+/.exec(s.slice(i));
    if (!m || !expectKey) throw new Error(`unexpected "${ch}" at ${i + 1} in "${path}"`);
    steps.push({ key: m[0] });
    i += m[0].length;
    expectKey = false;
  }
  if (expectKey && s.length > 0 && s !== '$') throw new Error(`"${path}" ends with "."`);
  return steps;
}

/** A value the path reached, the object or array holding it (for sibling fields), and where it is. */
export interface PathMatch {
  value: unknown;
  parent: unknown;
  at: string;
}

/**
 * select follows the steps from `root`. `missing` is the shortest prefix of the path that reached
 * nothing (for a message saying where the document stopped matching), undefined when something matched.
 */
export function select(root: unknown, steps: PathStep[]): { matches: PathMatch[]; missing?: string } {
  let current: PathMatch[] = [{ value: root, parent: undefined, at: '$' }];
  for (const step of steps) {
    const next: PathMatch[] = [];
    for (const m of current) {
      const v = m.value;
      if ('key' in step) {
        if (isObject(v) && Object.prototype.hasOwnProperty.call(v, step.key)) next.push({ value: v[step.key], parent: v, at: `${m.at}${keyText(step.key)}` });
      } else if ('index' in step) {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push({ value: v[idx], parent: v, at: `${m.at}[${idx}]` });
        }
      } else if (Array.isArray(v)) {
        v.forEach((x, idx) => next.push({ value: x, parent: v, at: `${m.at}[${idx}]` }));
      } else if (isObject(v)) {
        for (const [k, x] of Object.entries(v)) next.push({ value: x, parent: v, at: `${m.at}${keyText(k)}` });
      }
    }
    if (!next.length) return { matches: [], missing: `${current[0].at}${describeStep(step)}` };
    current = next;
  }
  return { matches: current };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keyText(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `["${k}"]`;
}

function describeStep(step: PathStep): string {
  return 'key' in step ? keyText(step.key) : 'index' in step ? `[${step.index}]` : '[*]';
}
