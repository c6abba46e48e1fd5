/**
 * A set of 32-bit name hashes (the tokenizer's FNV-1a, see `hashName`) by open addressing in an
 * Int32Array. The statement filter asks whether each name of every statement is one that matters:
 * a `Set<number>` answers with a call into the engine's hash table, this one with a few array reads
 * the JIT inlines. Hashes are only added, never removed.
 */
export class HashSet {
  private table = new Int32Array(64);
  private mask = 63;
  private count = 0;
  /** 0 marks an empty slot, so the hash 0 is kept apart. */
  private zero = false;

  constructor(hashes: Iterable<number> = []) {
    for (const h of hashes) this.add(h);
  }

  has(h: number): boolean {
    if (h === 0) return this.zero;
    const table = this.table;
    const mask = this.mask;
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const v = table[i];
      if (v === h) return true;
      if (v === 0) return false;
    }
  }

  add(hash: number): void {
    const h = hash | 0;
    if (h === 0) {
      this.zero = true;
      return;
    }
    if (this.has(h)) return;
    if (++this.count * 2 > this.table.length) this.grow();
    this.place(h);
  }

  private place(h: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = (h ^ (h >>> 15)) & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = h;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (const h of old) if (h !== 0) this.place(h);
  }
}
