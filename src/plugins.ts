import type { Registry } from './registry';
import type { CheckKind } from './check-kinds/kind';
import type { DetectorPlugin } from './detectors/detector';
import type { NotifierPlugin } from './notify/notifier';
import type { SourcePlugin } from './sources/source';
import type { ModelAdapterPlugin } from './model/index';
import { builtinCheckKinds } from './check-kinds';
import { builtinDetectors } from './detectors';
import { builtinNotifiers } from './notify';
import { builtinSources } from './sources';
import { builtinModelAdapters } from './model';
import type { ConsoleStream } from './notify/integrations/console';

/** Plugins: every registry of pluggable parts, built once by the composition root. */
export interface Plugins {
  checkKinds: Registry<CheckKind<any>>;
  detectors: Registry<DetectorPlugin<any>>;
  notifiers: Registry<NotifierPlugin<any>>;
  sources: Registry<SourcePlugin<any>>;
  models: Registry<ModelAdapterPlugin<any>>;
}

export function builtinPlugins(opts: { consoleStream?: ConsoleStream } = {}): Plugins {
  return {
    checkKinds: builtinCheckKinds(),
    detectors: builtinDetectors(),
    notifiers: builtinNotifiers(opts),
    sources: builtinSources(),
    models: builtinModelAdapters(),
  };
}
