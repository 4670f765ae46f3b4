import fc from 'fast-check';
import { TableHistory } from '../../../local/dynamodb/table-history';

const keySchema = [{ AttributeName: 'pk', KeyType: 'HASH' as const }];

/** A write to one of a few keys at a non-decreasing time: a put of `value`, or a delete. */
const writes = fc.array(
  fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.option(fc.nat(99), { nil: null }), gap: fc.nat(5_000) }),
  { maxLength: 40 },
);

function replayModel(entries: Array<{ key: string; value: number | null; at: number }>, cutoff: number) {
  const state = new Map<string, number>();
  for (const entry of entries) {
    if (entry.at > cutoff) break;
    if (entry.value === null) state.delete(entry.key);
    else state.set(entry.key, entry.value);
  }
  return Object.fromEntries([...state.entries()].sort());
}

function asObject(items: Array<Record<string, Record<string, unknown>>>) {
  return Object.fromEntries(items.map((item) => [item.pk.S as string, Number(item.v.N)]).sort());
}

describe('TableHistory', () => {
  it('rebuilds the state at any instant, and folding old records never changes instants after the fold', () => {
    fc.assert(
      fc.property(writes, fc.nat(200_000), fc.nat(200_000), (generated, foldOffset, queryOffset) => {
        // Prepare
        const history = new TableHistory('T', keySchema, [], 0);
        let at = 0;
        const entries = generated.map((write) => {
          at += write.gap;
          return { key: write.key, value: write.value, at };
        });
        for (const entry of entries) {
          history.record(
            { pk: { S: entry.key } },
            entry.value === null ? null : { pk: { S: entry.key }, v: { N: String(entry.value) } },
            entry.at,
          );
        }
        const foldAt = Math.min(foldOffset, at);
        const queryAt = foldAt + queryOffset;

        // Act
        const before = asObject(history.stateAt(queryAt) as never);
        history.foldBefore(foldAt);
        const after = asObject(history.stateAt(queryAt) as never);

        // Assess
        expect(before).toEqual(replayModel(entries, queryAt));
        expect(after).toEqual(before);
        expect(history.records.every((record) => record.at >= foldAt)).toBe(true);
        expect(history.baselineAt).toBe(foldAt);
      }),
      { numRuns: 200 },
    );
  });

  it('treats numerically equal keys as the same item', () => {
    // Prepare
    const history = new TableHistory('T', [{ AttributeName: 'n', KeyType: 'HASH' }], [], 0);

    // Act
    history.record({ n: { N: '1.50' } }, { n: { N: '1.50' }, v: { S: 'first' } }, 1);
    history.record({ n: { N: '15e-1' } }, null, 2);

    // Assess
    expect(history.stateAt(1)).toHaveLength(1);
    expect(history.stateAt(2)).toEqual([]);
  });

  it('round-trips through JSON', () => {
    // Prepare
    const history = new TableHistory('T', keySchema, [{ pk: { S: 'base' } }], 5);
    history.record({ pk: { S: 'x' } }, { pk: { S: 'x' } }, 10);

    // Act
    const copy = TableHistory.fromJSON(JSON.parse(JSON.stringify(history)));

    // Assess
    expect(copy.stateAt(10)).toEqual(history.stateAt(10));
    expect(copy.baselineAt).toBe(5);
    expect(copy.records).toEqual(history.records);
  });
});
