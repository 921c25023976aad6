import { builtinNotifiers } from '../../src/notify';

/** A minimal valid configuration per kind: adding a kind without one fails this test. */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  alertmanager: { url: 'http://alertmanager.example.com:9093' },
  console: {},
  email: { host: 'smtp.example.com', from: 'recsysops@example.com', to: ['oncall@example.com'] },
  file: {},
  webhook: { url: 'https://hooks.example.com/recsysops' },
};

describe('builtinNotifiers', () => {
  test('lists every notifier kind, explicitly', () => {
    expect(builtinNotifiers().kinds()).toEqual(['alertmanager', 'console', 'email', 'file', 'webhook']);
  });

  test.each(builtinNotifiers().all().map((p) => [p.kind, p] as const))('%s has a description, a strict schema and a working example', (kind, plugin) => {
    expect(plugin.description.length).toBeGreaterThan(10);
    expect(EXAMPLES[kind]).toBeDefined();
    expect(plugin.schema.safeParse(EXAMPLES[kind]).success).toBe(true);
    expect(plugin.schema.safeParse({ ...EXAMPLES[kind], no_such_key: 1 }).success).toBe(false);
  });

  test('an unknown kind names the available ones', () => {
    expect(() => builtinNotifiers().get('slack')).toThrow(/available: alertmanager, console, email, file, webhook/);
  });
});
