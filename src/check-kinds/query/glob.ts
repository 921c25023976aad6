import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * A minimal glob (Node 20 has no fs.glob; this is all a files check needs):
 *   *  any characters of one name      ?  one character      [abc] [a-z] [!abc]  a class
 *   ** any number of directories        {csv,parquet}        alternatives (not nested, no "/")
 * A wildcard does not match a name's leading "." (Spark's .crc files, editors' temp files) unless
 * the pattern part starts with "." itself. Symbolic links to directories are not followed under **.
 */
export function splitPattern(pattern: string, cwd = process.cwd()): { base: string; parts: string[] } {
  const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const parts = abs.split(sep).filter((p) => p !== '');
  const first = parts.findIndex(hasMagic);
  if (first < 0) return { base: sep + parts.slice(0, -1).join(sep), parts: parts.slice(-1) };
  return { base: sep + parts.slice(0, first).join(sep), parts: parts.slice(first) };
}

function hasMagic(part: string): boolean {
  return /[*?[{]/.test(part);
}

/** partRegExp compiles one path part (no "/") to a RegExp over a single name. */
export function partRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let cls = part.slice(i + 1, close);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '{') {
      const close = part.indexOf('}', i);
      if (close < 0) {
        re += '\\{';
        continue;
      }
      re += `(?:${part
        .slice(i + 1, close)
        .split(',')
        .map((alt) => partRegExp(alt).source.replace(/^\^(\(\?!\\\.\))?|\$$/g, ''))
        .join('|')})`;
      i = close;
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${part.startsWith('.') ? '' : '(?!\\.)'}${re}$`);
}

export interface MatchedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** globFiles returns the regular files matching `pattern` (relative patterns against cwd), with size and mtime. */
export async function globFiles(pattern: string, cwd = process.cwd()): Promise<MatchedFile[]> {
  const { base, parts } = splitPattern(pattern, cwd);
  await stat(base); // a missing base directory is an error (ENOENT), not "no files"
  const found = new Map<string, MatchedFile>();
  const regexps = parts.map((p) => (p === '**' ? null : partRegExp(p)));

  const walk = async (dir: string, i: number): Promise<void> => {
    if (i >= parts.length) return;
    const re = regexps[i];
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      // a directory that vanished between listing and reading is just gone
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
      throw err;
    });
    if (re === null) {
      await walk(dir, i + 1); // ** as no directory at all
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), i); // ** as one more
      return;
    }
    const last = i === parts.length - 1;
    for (const e of entries) {
      if (!re.test(e.name)) continue;
      const path = join(dir, e.name);
      if (last) {
        const s = await stat(path).catch(() => undefined); // follows a link to a file; skips a dangling one
        if (s?.isFile()) found.set(path, { path, size: s.size, mtimeMs: s.mtimeMs });
      } else if (e.isDirectory() || e.isSymbolicLink()) {
        await walk(path, i + 1);
      }
    }
  };
  await walk(base, 0);
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}
