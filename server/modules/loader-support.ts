/** Settles each key separately so one failure does not fail its batch neighbours (DataLoader). */
export async function settle<K, V>(
  keys: readonly K[],
  load: (key: K) => Promise<V>,
): Promise<Array<V | Error>> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((r) =>
    r.status === 'fulfilled'
      ? r.value
      : r.reason instanceof Error
        ? r.reason
        : new Error(String(r.reason)),
  );
}
