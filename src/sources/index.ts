import { Registry } from '../registry';
import type { SourcePlugin } from './source';
import { ndjsonFileSource } from './ndjson-file';
import { demoSourcePlugin } from '../demo/source';

/** builtinSources lists every source kind; the Kafka source of a later issue joins this list. */
export function builtinSources(): Registry<SourcePlugin<any>> {
  return new Registry<SourcePlugin<any>>('source', [ndjsonFileSource, demoSourcePlugin]);
}
