import { loadConfig, resolveConfigPath } from '../config/config';
import { resolveStateDir } from '../daemon';
import { diagnoseIssue } from '../diagnosis/diagnose';
import { formatMarkdown, formatTerminal } from '../diagnosis/report';
import { IssueStore } from '../issues/store';
import { builtinPlugins } from '../plugins';
import { RecsysopsError, UsageError } from '../errors';
import type { ModelAdapter } from '../model/protocol';
import { progressBar } from './progress';

interface DiagnoseCliOptions {
  config?: string;
  state?: string;
  modelUrl?: string;
  json?: boolean;
  markdown?: boolean;
}

/**
 * diagnoseCommand replays an issue's captured inputs against the model. The endpoint comes only
 * from --model-url or recsysops.yaml (never from the issue's data, which an attacker could shape).
 */
export async function diagnoseCommand(id: string, opts: DiagnoseCliOptions): Promise<void> {
  const env = process.env;
  const plugins = builtinPlugins();
  const configPath = resolveConfigPath(opts.config, env);
  const config = loadConfig(configPath, plugins);
  const store = new IssueStore(resolveStateDir(opts.state, config, env));
  const issue = store.get(id);
  const capture = store.capture(issue.id);

  let model: ModelAdapter;
  if (opts.modelUrl) {
    if (!/^https?:\/\//.test(opts.modelUrl)) throw new UsageError(`--model-url must be an http(s) URL, not "${opts.modelUrl}"`);
    const http = plugins.models.get('http');
    model = http.create(http.schema.parse({ url: opts.modelUrl }), { baseDir: process.cwd() });
  } else if (config.model) {
    const { adapter, ...rest } = config.model;
    model = plugins.models.get(adapter).create(rest, { baseDir: config.baseDir });
  } else {
    throw new RecsysopsError('RSO_ERR_MODEL_NOT_CONFIGURED', `no model to replay against: pass --model-url URL or set model: in ${config.file}`);
  }

  const bar = progressBar('replaying');
  try {
    const report = await diagnoseIssue({ issue, capture, model, now: () => Date.now(), onProgress: (d, t) => bar.update(d, t) });
    store.update(issue.id, (i) => ({ ...i, diagnosis: report as unknown as Record<string, unknown> }));
    if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (opts.markdown) process.stdout.write(formatMarkdown(issue, report));
    else process.stdout.write(formatTerminal(issue, report));
  } finally {
    bar.done();
    await model.close?.();
  }
}
