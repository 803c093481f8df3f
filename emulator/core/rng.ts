/**
 * Seeded pseudo-random generator (mulberry32). Every id, name and date the emulator invents comes
 * from one of these, so a scenario built twice from the same seed is byte-identical. The state is a
 * single 32-bit integer, which is saved in snapshots so ids stay deterministic after a reload.
 */
export class Rng {
  constructor(public state: number) {}

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) {
      throw new Error('Rng.pick on an empty list');
    }
    return item;
  }

  /** A version-4-shaped GUID, lower case, as Entra ID and Partner Center print them. */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      hex.push(
        Math.floor(this.next() * 4294967296)
          .toString(16)
          .padStart(8, '0'),
      );
    }
    const h = hex.join('');
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A string of `length` decimal digits that does not start with 0. */
  digits(length: number): string {
    let out = String(this.int(1, 9));
    while (out.length < length) {
      out += String(this.int(0, 9));
    }
    return out;
  }
}

/** Derives an independent generator from a seed and a label (FNV-1a of the label mixed in). */
export function deriveRng(seed: number, label: string): Rng {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i += 1) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return new Rng(h | 0);
}
