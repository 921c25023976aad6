import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { builtinPlugins } from '../../src/plugins';

test('the example recsysops.yaml the README points to is valid', () => {
  const cfg = loadConfig(join(__dirname, '..', '..', 'examples', 'recsysops.yaml'), builtinPlugins());
  expect(cfg.notifiers.map((n) => n.kind)).toEqual(['console', 'file', 'email', 'webhook']);
  expect(cfg.model).toMatchObject({ adapter: 'http', url: expect.stringContaining('{version}') });
  expect(cfg.checks_dir).toBe(join(__dirname, '..', '..', 'checks'));
});
