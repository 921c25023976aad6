import { batchRecords } from '../../src/sources/kafka';

/** a batch as the consumer worker sends it: the values packed in one buffer, their ends and offsets */
function batch(values: string[], firstOffset = 100) {
  const bytes = values.map((v) => Buffer.from(v, 'utf8'));
  const data = Buffer.concat(bytes);
  const ends = new Uint32Array(bytes.length);
  bytes.reduce((end, b, i) => (ends[i] = end + b.length), 0);
  const offsets = Float64Array.from(values, (_, i) => firstOffset + i);
  return { data: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) as ArrayBuffer, ends, offsets };
}

describe('batchRecords: a Kafka batch as the engine reads it', () => {
  test('an ASCII batch: every payload, size and position as produced', () => {
    const values = ['{"type":"impression","item_id":"i1"}', '{"a":1}', '', '{"surface":"home"}'];
    const { records, index } = batchRecords(batch(values), 'topic/0', -1);
    expect(records.map((r) => r.payload)).toEqual(values);
    expect(records.map((r) => r.bytes)).toEqual(values.map((v) => v.length));
    expect(records.map((r) => r.position)).toEqual(values.map((_, i) => ({ partition: 'topic/0', offset: 100 + i })));
    expect(index).toEqual([0, 1, 2, 3]);
    expect(records[1].origin).toBe('topic/0@101');
  });

  test('a batch with UTF-8 beyond ASCII: payloads decoded as UTF-8, sizes in bytes', () => {
    const values = ['{"surface":"café"}', '{"item_id":"ürün-7","note":"日本"}', '{"a":"plain"}'];
    const { records } = batchRecords(batch(values), 'topic/1', -1);
    expect(records.map((r) => r.payload)).toEqual(values);
    expect(records.map((r) => r.bytes)).toEqual(values.map((v) => Buffer.byteLength(v)));
    expect(records.map((r) => JSON.parse(r.payload as string))).toEqual(values.map((v) => JSON.parse(v)));
  });

  test('messages before `from` (already pushed by this process) are left out; the rest keep their index in the batch', () => {
    const { records, index } = batchRecords(batch(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}']), 'topic/0', 102);
    expect(records.map((r) => r.payload)).toEqual(['{"n":2}', '{"n":3}']);
    expect(index).toEqual([2, 3]);
  });
});
