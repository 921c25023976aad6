import { escapeHtml, renderEmail, renderSubject } from '../../src/notify/integrations/email-render';
import { alert } from './helpers';

describe('renderEmail', () => {
  test('subject leads with status and severity, then check and summary', () => {
    expect(renderSubject([alert()])).toBe('[FIRING:critical] volume-impressions — impressions on home dropped to 120 per minute (expected 800–1300)');
    expect(renderSubject([alert({ status: 'resolved', severity: 'warning', summary: 'back to normal' })])).toBe('[RESOLVED:warning] volume-impressions — back to normal');
    expect(renderSubject([alert({ summary: 'two\r\nlines' })], '[staging]')).toBe('[staging] [FIRING:critical] volume-impressions — two lines');
  });

  test('a batch subject gives the count and the first check; firing wins, with its highest severity', () => {
    const batch = [alert({ status: 'resolved', check: 'freshness' }), alert({ severity: 'warning', check: 'latency' }), alert({ severity: 'info' })];
    expect(renderSubject(batch)).toBe('[FIRING:warning] 3 alerts: freshness and 2 more');
  });

  test('text part has every fact and the diagnose command', () => {
    const { text } = renderEmail([alert({ endsAt: '2024-05-01T10:30:00.000Z' })]);
    for (const s of ['FIRING', 'critical', 'volume-impressions', 'Observed value', '120', '800–1300', 'surface=home', '2024-05-01T10:00:00.000Z', '2024-05-01T10:30:00.000Z', 'recsysops diagnose 7f3a9c21', 'https://wiki.local/runbooks/volume', 'http://grafana.local/d/recsysops?var-check=volume-impressions']) {
      expect(text).toContain(s);
    }
  });

  test('no expected band reads "—"; an open side reads ≥ or ≤; links are left out when absent', () => {
    const { text } = renderEmail([alert({ expected: null, dashboard_url: undefined, runbook_url: undefined })]);
    expect(text).toMatch(/Expected band\s+—/);
    expect(text).not.toContain('Dashboard');
    expect(text).not.toContain('Runbook');
    expect(renderEmail([alert({ expected: { lower: 0.5, upper: null } })]).text).toMatch(/Expected band\s+≥ 0.5/);
  });

  test('every alert value is escaped in the HTML part', () => {
    const { html } = renderEmail([
      alert({ check: 'c<i>', summary: '<script>steal()</script>', labels: { '<k>': '"v"&' }, issue_id: "x'y", runbook_url: 'https://x/?a=1&b=<2>' }),
    ]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;steal()&lt;/script&gt;');
    expect(html).toContain('c&lt;i&gt;');
    expect(html).toContain('&lt;k&gt;');
    expect(html).toContain('&quot;v&quot;&amp;');
    expect(html).toContain('recsysops diagnose x&#39;y');
    expect(html).toContain('href="https://x/?a=1&amp;b=&lt;2&gt;"');
  });

  test('only http(s) URLs become links', () => {
    const { html } = renderEmail([alert({ dashboard_url: 'javascript:alert(1)' })]);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('javascript:alert(1)');
  });

  test('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('what to do, in the email itself', () => {
  test('a firing alert lists the dashboard panel, the evidence, the diagnose command and the runbook, in order', () => {
    const { text, html } = renderEmail([alert()]);
    const steps = text.slice(text.indexOf('What to do:'));
    const order = ['http://grafana.local/d/recsysops?var-check=volume-impressions', 'recsysops issues show 7f3a9c21', 'recsysops diagnose 7f3a9c21', 'https://wiki.local/runbooks/volume'];
    expect(order.map((s) => steps.indexOf(s))).toEqual([...order.map((s) => steps.indexOf(s))].sort((a, b) => a - b));
    expect(order.every((s) => steps.includes(s))).toBe(true);
    expect(html).toContain('<li>See the value against its expected band on the dashboard: <a href="http://grafana.local/d/recsysops?var-check=volume-impressions">');
    expect(html).toContain('<li>Tell a data problem from a model problem: <code>recsysops diagnose 7f3a9c21</code></li>');
  });

  test('a resolved alert says no action is needed and where the evidence stays', () => {
    const { text } = renderEmail([alert({ status: 'resolved', endsAt: '2024-05-01T10:30:00.000Z' })]);
    expect(text).toContain('Resolved, no action needed. The evidence stays in the issue:');
    expect(text).toContain('recsysops issues show 7f3a9c21');
  });

  test('links in the steps are escaped, and only http(s) ones become links', () => {
    const { html } = renderEmail([alert({ dashboard_url: 'javascript:alert(1)', runbook_url: 'https://x/?a=1&b=<2>' })]);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<li>Follow the runbook: <a href="https://x/?a=1&amp;b=&lt;2&gt;">');
  });
});
