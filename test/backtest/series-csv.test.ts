import { parseSeriesCsv, parseTimestamp, SeriesCsvError } from '../../src/backtest/backtest';

describe('parseTimestamp', () => {
  test.each([
    ['2024-01-01T00:00:00Z', Date.UTC(2024, 0, 1)],
    ['2024-01-01T01:30:00+01:00', Date.UTC(2024, 0, 1, 0, 30)],
    ['2024-01-01T00:05:00', Date.UTC(2024, 0, 1, 0, 5)], // no offset: UTC on every machine
    ['2024-01-01 00:05', Date.UTC(2024, 0, 1, 0, 5)],
    ['2024-01-01', Date.UTC(2024, 0, 1)],
    ['1704067200', Date.UTC(2024, 0, 1)], // 10 digits: epoch seconds
    ['1704067200.5', Date.UTC(2024, 0, 1) + 500],
    ['1704067200000', Date.UTC(2024, 0, 1)], // epoch ms
  ])('%p → %p', (text, t) => {
    expect(parseTimestamp(text)).toBe(t);
  });

  test.each(['yesterday', '2024-13-45T00:00:00Z', '01/02/2024', ''])('%p is not a timestamp', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('parseSeriesCsv', () => {
  test('reads rows with or without a header, skipping blanks, comments and CRLF', () => {
    const withHeader = 'timestamp,value\r\n2024-01-01T00:00:00Z,1.50\r\n\r\n# a gap\r\n1704067260,2\r\n';
    const rows = parseSeriesCsv(withHeader, 'series.csv');
    expect(rows).toEqual([
      { line: 2, timestamp: '2024-01-01T00:00:00Z', t: Date.UTC(2024, 0, 1), valueText: '1.50', value: 1.5 },
      { line: 5, timestamp: '1704067260', t: Date.UTC(2024, 0, 1, 0, 1), valueText: '2', value: 2 },
    ]);
    const noHeader = parseSeriesCsv('1704067200000,3\n1704067260000,-4e2\n', 'x.csv');
    expect(noHeader.map((r) => [r.line, r.value])).toEqual([[1, 3], [2, -400]]);
    expect(parseSeriesCsv('"ts","value"\n"2024-01-01","7"', 'q.csv')[0]).toMatchObject({ timestamp: '2024-01-01', value: 7 });
  });

  test.each([
    ['timestamp,value\n1704067200,1\n1704067260,abc\n', 'series.csv:3: value "abc" is not a number'],
    ['1704067200,1\n1704067260,\n', 'series.csv:2: value "" is not a number'],
    ['1704067200,1\n1704067260,0x10\n', 'series.csv:2: value "0x10" is not a number'],
    ['1704067200,1\nnoon,2\n', 'series.csv:2: timestamp "noon" is not ISO-8601, epoch milliseconds or epoch seconds'],
    ['1704067200,1\n1704067260,2,3\n', 'series.csv:2: expected 2 columns (timestamp,value), got 3'],
    ['time;value\n', 'series.csv:1: expected the header "timestamp,value", got "time;value"'],
    [
      '1704067260,1\n1704067200,2\n',
      'series.csv:2: timestamp "1704067200" is earlier than "1704067260" on line 1; sort the file by time',
    ],
    ['timestamp,value\n\n', 'series.csv: no data rows (expected lines of timestamp,value)'],
  ])('%p → %p', (text, message) => {
    expect(() => parseSeriesCsv(text, 'series.csv')).toThrow(message);
    try {
      parseSeriesCsv(text, 'series.csv');
    } catch (err) {
      expect(err).toBeInstanceOf(SeriesCsvError);
      expect((err as SeriesCsvError).code).toBe('RSO_ERR_SERIES_INVALID');
    }
  });

  test('the line number counts skipped lines (line 17 of a file with a header and a comment)', () => {
    const lines = ['timestamp,value', '# recorded 2024-01-01'];
    for (let i = 0; i < 14; i++) lines.push(`${1704067200 + i * 60},${i}`);
    lines.push('1704068100,abc');
    expect(() => parseSeriesCsv(lines.join('\n'), 'series.csv')).toThrow('series.csv:17: value "abc" is not a number');
  });
});
