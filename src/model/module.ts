import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { demoScore } from '../demo/model';
import { ModelError, RecsysopsError } from '../errors';
import type { ModelAdapterPlugin } from './plugin';
import type { ModelAdapter, ModelRequest, ScoreFn } from './protocol';
import { checkResponses } from './validate';

/** BUILTIN_MODULES: module names that need no file; `demo` is the demo world's model. */
export const BUILTIN_MODULES: Record<string, ScoreFn> = { demo: demoScore };

export interface ModuleModelAdapterOptions {
  /** a scoring function, or… */
  score?: ScoreFn;
  /** …a builtin name (`demo`) or the path of a JS module exporting the function */
  module?: string;
  /** the export to call; `score` by default */
  exportName?: string;
  /** where a relative module path is resolved from */
  baseDir?: string;
}

/**
 * loadScoreFn resolves a builtin name or require()s a module and picks its export (also under
 * `default`, as compiled ES modules put it). Loading happens once, when the adapter is created, so
 * a wrong path fails at start-up rather than in the middle of a diagnosis.
 */
export function loadScoreFn(module: string, exportName = 'score', baseDir = process.cwd()): ScoreFn {
  const builtin = BUILTIN_MODULES[module];
  if (builtin) return builtin;
  const path = isAbsolute(module) ? module : resolve(baseDir, module);
  let mod: Record<string, unknown>;
  try {
    mod = require(path) as Record<string, unknown>;
  } catch (e) {
    throw new ModelError(`cannot load model module ${path}: ${(e as Error).message}`, { retriable: false, cause: e });
  }
  const fn = mod?.[exportName] ?? (mod?.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') {
    throw new ModelError(`model module ${path} has no function export "${exportName}" (exports: ${Object.keys(mod ?? {}).join(', ') || 'none'})`, {
      retriable: false,
    });
  }
  return fn as ScoreFn;
}

/**
 * createModuleModelAdapter scores in-process: no network, so it is the fastest way to replay, and
 * the demo's default. What the function returns is checked like any endpoint's answer.
 */
export function createModuleModelAdapter(opts: ModuleModelAdapterOptions): ModelAdapter {
  const name = opts.module ?? 'function';
  const fn = opts.score ?? (opts.module !== undefined ? loadScoreFn(opts.module, opts.exportName, opts.baseDir) : undefined);
  if (!fn) throw new ModelError('module model adapter needs a score function or a module', { retriable: false });
  const where = `model module ${name}`;
  return {
    async score(requests: ModelRequest[], version: string) {
      let answer: unknown;
      try {
        answer = await fn(requests, version);
      } catch (e) {
        if (e instanceof RecsysopsError) throw e;
        throw new ModelError(`${where} failed: ${(e as Error)?.message ?? String(e)}`, { retriable: false, cause: e });
      }
      return checkResponses(where, requests, answer);
    },
  };
}

const schema = z.strictObject({
  /** `demo`, or the path of a JS module exporting `score(requests, version)` */
  module: z.string().min(1),
  export: z.string().min(1).default('score'),
});
export type ModuleModelConfig = z.infer<typeof schema>;

export const moduleModelAdapter: ModelAdapterPlugin<ModuleModelConfig> = {
  kind: 'module',
  description: 'an in-process JS module exporting score(requests, version); `demo` is built in',
  schema: schema as unknown as z.ZodType<ModuleModelConfig>,
  create(c, deps) {
    return createModuleModelAdapter({ module: c.module, exportName: c.export, baseDir: deps?.baseDir });
  },
};
