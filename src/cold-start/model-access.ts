import type { RecsysopsConfig } from '../config/config';
import type { ModelAdapterPlugin } from '../model/plugin';
import type { ModelAdapter } from '../model/protocol';
import type { Registry } from '../registry';

/**
 * configuredModel: the model adapter of recsysops.yaml's `model:` entry — the one `recsysops
 * diagnose` uses — created on first use (most checks never ask), or undefined when none is set.
 */
export function configuredModel(config: Pick<RecsysopsConfig, 'model' | 'baseDir'>, models: Registry<ModelAdapterPlugin<any>>): () => ModelAdapter | undefined {
  let adapter: ModelAdapter | undefined;
  return () => {
    if (!adapter && config.model) {
      const { adapter: kind, ...rest } = config.model;
      adapter = models.get(kind).create(rest, { baseDir: config.baseDir });
    }
    return adapter;
  };
}
