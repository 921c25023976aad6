import type { z } from 'zod';
import type { Logger } from '../telemetry/logger';
import type { ModelAdapter } from './protocol';

export interface ModelAdapterDeps {
  /** directory of the config file, to resolve a module path */
  baseDir: string;
  logger?: Logger;
}

/**
 * ModelAdapterPlugin: a model adapter kind with the schema of the `model:` entry of recsysops.yaml
 * (without `adapter`), so `recsysops validate` can check it before diagnosis needs it.
 */
export interface ModelAdapterPlugin<C = Record<string, unknown>> {
  kind: string;
  description: string;
  schema: z.ZodType<C>;
  create(config: C, deps?: ModelAdapterDeps): ModelAdapter;
}
