import { Registry } from '../registry';
import { httpModelAdapter } from './http';
import { kserveV2ModelAdapter } from './kserve-v2';
import { moduleModelAdapter } from './module';
import type { ModelAdapterPlugin } from './plugin';

export type { ModelAdapterDeps, ModelAdapterPlugin } from './plugin';

/** builtinModelAdapters lists every model adapter kind explicitly (no registration by import). */
export function builtinModelAdapters(): Registry<ModelAdapterPlugin<any>> {
  return new Registry<ModelAdapterPlugin<any>>('model adapter', [httpModelAdapter, kserveV2ModelAdapter, moduleModelAdapter]);
}
