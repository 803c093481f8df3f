import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../server/shared/ids.js';
import { decodeCursor, encodeCursor, paginateInMemory } from '../../server/shared/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => ({
  name: `item ${String.fromCharCode(103 - i)}`,
  id: `id-${i}`,
}));
const page = (args: { first?: number | null; after?: string | null }) =>
  paginateInMemory(items, args, { scope: 'test', sortKey: (x) => [x.name, x.id] });

describe('paginateInMemory', () => {
  it('sorts by key, pages forward with after, and counts everything', () => {
    const first = page({ first: 3 });
    expect(first.edges.map((e) => e.node.name)).toEqual(['item a', 'item b', 'item c']);
    expect(first.totalCount).toBe(7);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = page({ first: 3, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.name)).toEqual(['item d', 'item e', 'item f']);
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    const last = page({ first: 3, after: second.pageInfo.endCursor });
    expect(last.edges.map((e) => e.node.name)).toEqual(['item g']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false });
    const beyond = page({ first: 3, after: last.pageInfo.endCursor });
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo).toMatchObject({
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('defaults first to 50 and accepts 1 and 100', () => {
    expect(page({}).edges).toHaveLength(7);
    expect(page({ first: 1 }).edges).toHaveLength(1);
    expect(page({ first: 100 }).edges).toHaveLength(7);
  });

  it('rejects first outside 1–100 with BAD_USER_INPUT', () => {
    for (const first of [0, -1, 101]) {
      expect(() => page({ first })).toThrowError(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      );
    }
  });

  it('rejects foreign, tampered and garbage cursors with BAD_USER_INPUT', () => {
    const other = encodeCursor('another-connection', ['item a', 'id-6']);
    const tampered = Buffer.from(JSON.stringify({ v: 2, s: 'test', k: ['x'] })).toString(
      'base64url',
    );
    for (const after of [other, tampered, 'not a cursor', 'Zm9v']) {
      expect(() => page({ after })).toThrowError(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      );
    }
    expect(decodeCursor('test', encodeCursor('test', ['a', 1]))).toEqual(['a', 1]);
  });
});

describe('global ids', () => {
  it('round-trips and rejects what this server did not issue', () => {
    const id = encodeId('Customer', 'partner-1', 'customer-1');
    expect(decodeId(id)).toEqual({ type: 'Customer', parts: ['partner-1', 'customer-1'] });
    expect(decodeId('garbage!')).toBeNull();
    expect(decodeId(Buffer.from('v0|Customer|x').toString('base64url'))).toBeNull();
  });
});
