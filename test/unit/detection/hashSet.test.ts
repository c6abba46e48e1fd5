/**
 * The name-hash set the statement filter asks must answer as a Set<number> would: for hashes
 * added and not added, 0 and negative ones, many that share their low bits (one table slot), and
 * across the growth of its table.
 */
import { describe, expect, it } from 'vitest';
import { HashSet } from '../../../src/core/detection/hashSet';
import { hashName } from '../../../src/core/detection/tokens';
import { rng } from './randomTexts';

describe('HashSet', () => {
  it('holds exactly the hashes added, as a Set does', () => {
    const r = rng(5);
    const ours = new HashSet();
    const ref = new Set<number>();
    const draw = (): number => {
      const kind = r();
      if (kind < 0.05) return 0;
      // Same low 12 bits: they all land on one slot of a small table.
      if (kind < 0.3) return (Math.floor(r() * 2 ** 20) << 12) | 0x5a5 | 0;
      return (r() * 2 ** 32) | 0;
    };
    for (let step = 0; step < 20000; step++) {
      const h = draw();
      if (r() < 0.5) {
        ours.add(h);
        ref.add(h);
      }
      const probe = r() < 0.5 ? h : draw();
      expect(ours.has(probe), String(probe)).toBe(ref.has(probe));
    }
    for (const h of ref) expect(ours.has(h)).toBe(true);
    expect(ref.size).toBeGreaterThan(5000);
  });

  it('starts with the hashes it is given, as the scopes give it names', () => {
    const s = new HashSet(['torch', 'print'].map(hashName));
    expect(s.has(hashName('torch'))).toBe(true);
    expect(s.has(hashName('print'))).toBe(true);
    expect(s.has(hashName('numpy'))).toBe(false);
    expect(s.has(0)).toBe(false);
  });
});
