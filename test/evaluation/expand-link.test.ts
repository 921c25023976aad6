import { expandLink } from '../../src/evaluation/evaluator';

describe('expandLink', () => {
  test('{dashboard} becomes the dashboard of the check kind, {check} the URL-encoded check name', () => {
    const url = 'http://grafana/d/{dashboard}?var-check={check}';
    expect(expandLink(url, { name: 'impressions-volume', kind: 'volume' })).toBe('http://grafana/d/recsysops-data?var-check=impressions-volume');
    expect(expandLink(url, { name: 'engagement rate&x', kind: 'engagement-rate' })).toBe('http://grafana/d/recsysops-model?var-check=engagement%20rate%26x');
    expect(expandLink(url, { name: 'new-item-exposure', kind: 'cold-start' })).toBe('http://grafana/d/recsysops-cold-start?var-check=new-item-exposure');
    expect(expandLink(url, { name: 'x', kind: 'some-future-kind' })).toBe('http://grafana/d/recsysops-overview?var-check=x');
  });

  test('a link without placeholders, or no link, is left as it is', () => {
    expect(expandLink('https://wiki/runbook', { name: 'a', kind: 'volume' })).toBe('https://wiki/runbook');
    expect(expandLink(undefined, { name: 'a', kind: 'volume' })).toBeUndefined();
  });
});
