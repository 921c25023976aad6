import { Registry } from '../registry';
import type { SourcePlugin } from './source';
import { ndjsonFileSource } from './ndjson-file';
import { demoSourcePlugin } from '../demo/source';
import { kafkaSourcePlugin } from './kafka';

/** builtinSources lists every source kind. */
export function builtinSources(): Registry<SourcePlugin<any>> {
  return new Registry<SourcePlugin<any>>('source', [ndjsonFileSource, demoSourcePlugin, kafkaSourcePlugin]);
}
