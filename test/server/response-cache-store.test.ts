import { describe, expect, it } from 'vitest';
import {
  type CachedResponse,
  ResponseCacheStore,
} from '../../server/app/response-cache/response-cache.store.js';

// The response cache's store (issue 20): bounded by entries and bytes (least recently used first),
// expiring with the read-cache entries a response used, and dropping what any generation outdates.

const response = (dataJson: string): CachedResponse => ({
  status: 200,
  headers: [['content-type', 'application/json; charset=utf-8']],
  dataJson,
  extensions: {},
  requested: 10,
  actual: 1,
});

function storeWith(options: Partial<{ maxEntries: number; maxBytes: number; ttlMs: number }> = {}) {
  let now = 1_000;
  const generations = new Map<string, number>();
  const store = new ResponseCacheStore(
    { ttlMs: 10_000, maxEntries: 100, maxBytes: 1_000_000, now: () => now, ...options },
    (tenant) => generations.get(tenant) ?? 0,
  );
  const put = (
    key: string,
    data: string,
    tenants = new Map<string, number>(),
    expiresAt = Infinity,
  ) => store.set(key, response(data), store.stamp('org-a', false), { tenants, expiresAt });
  return {
    store,
    put,
    generations,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ResponseCacheStore', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const { store, put } = storeWith({ maxEntries: 2 });
    put('a', '1');
    put('b', '2');
    expect(store.get('a')?.dataJson).toBe('1'); // a is now the most recent
    put('c', '3');
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.dataJson).toBe('1');
    expect(store.get('c')?.dataJson).toBe('3');
    expect(store.stats()).toMatchObject({ entries: 2, evicted: 1 });
  });

  it('keeps at most maxBytes and never stores one response over an eighth of it', () => {
    const { store, put } = storeWith({ maxBytes: 800 });
    put('a', 'x'.repeat(99)); // 100 with the key
    put('too-big', 'x'.repeat(200));
    expect(store.get('too-big')).toBeUndefined();
    expect(store.stats().skipped).toEqual({ 'too large': 1 });
    for (let i = 0; i < 10; i++) {
      put(`k${i}`, 'x'.repeat(98)); // 100 each with the key
    }
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(800);
    expect(stats.entries).toBe(8);
    expect(store.get('a')).toBeUndefined();
  });

  it('expires with its TTL or the earliest read-cache entry it used, whichever comes first', () => {
    const { store, put, advance } = storeWith({ ttlMs: 10_000 });
    put('ttl', '1');
    put('read-cache', '2', new Map(), 1_000 + 3_000);
    advance(3_000);
    expect(store.get('read-cache')).toBeUndefined();
    expect(store.get('ttl')?.dataJson).toBe('1');
    advance(7_000);
    expect(store.get('ttl')).toBeUndefined();
    expect(store.stats().staleBy).toEqual({ expired: 2 });
  });

  it('drops what a read-cache, organization, engine or epoch change outdates', () => {
    const { store, put, generations } = storeWith();
    put('tenant', '1', new Map([['t1', 0]]));
    generations.set('t1', 1);
    expect(store.get('tenant')).toBeUndefined();

    put('org', '2');
    store.organizationChanged('org-b');
    expect(store.get('org')?.dataJson).toBe('2'); // another organization's change
    store.organizationChanged('org-a');
    expect(store.get('org')).toBeUndefined();

    const workflows = store.stamp('org-a', true);
    const plain = store.stamp('org-a', false);
    store.set('workflow', response('3'), workflows, { tenants: new Map(), expiresAt: Infinity });
    store.set('plain', response('4'), plain, { tenants: new Map(), expiresAt: Infinity });
    store.engineChanged();
    expect(store.get('workflow')).toBeUndefined();
    expect(store.get('plain')?.dataJson).toBe('4');
    store.clear();
    expect(store.get('plain')).toBeUndefined();
  });

  it('does not store a response whose dependencies changed while it ran', () => {
    const { store } = storeWith();
    const stamp = store.stamp('org-a', true);
    store.engineChanged();
    store.set('late', response('1'), stamp, { tenants: new Map(), expiresAt: Infinity });
    expect(store.get('late')).toBeUndefined();
    expect(store.stats().skipped).toEqual({ 'engine changed while running': 1 });
  });
});
