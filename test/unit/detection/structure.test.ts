/**
 * The shape of the code, checked: no import cycle inside src/core (a cycle of runtime imports
 * makes module initialisation order-dependent), none even of type-only imports inside detection
 * and analysis (a stage must be readable without the stages after it), and no detection file
 * over ~500 lines (the pipeline's stages stay files a newcomer can read).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const core = join(root, 'src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

type Edges = 'runtime' | 'all';

/** Relative imports and re-exports of a file, resolved to files (`runtime`: without `import type`). */
function importsOf(file: string, edges: Edges): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\b(\s+type\b)?[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    if (edges === 'runtime' && m[2]) continue;
    const target = resolve(dirname(file), m[3]);
    for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
      try {
        readFileSync(candidate);
        out.push(candidate);
        break;
      } catch {
        // not this one
      }
    }
  }
  return out;
}

/** A cycle in the import graph of `files`, as a list of paths, or null. */
function findCycle(files: string[], edges: Edges): string[] | null {
  const inside = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, edges).filter((g) => inside.has(g))]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') return [...stack.slice(stack.indexOf(g)), g];
      if (!state.has(g)) {
        const found = visit(g);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of files) {
    if (state.has(f)) continue;
    const found = visit(f);
    if (found) return found;
  }
  return null;
}

const shown = (cycle: string[] | null): string | null => cycle?.map((f) => relative(root, f)).join(' → ') ?? null;

describe('structure of src/core', () => {
  it('has no cycle of runtime imports', () => {
    expect(shown(findCycle(sources(core), 'runtime'))).toBeNull();
  });

  it('has no cycle of any imports within detection and analysis', () => {
    const files = [...sources(join(core, 'detection')), ...sources(join(core, 'analysis'))];
    expect(shown(findCycle(files, 'all'))).toBeNull();
  });

  it('the check finds a cycle when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { C } from './c';\nexport const b: C = 1;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a';\nexport type C = typeof a;\n");
      const files = ['a.ts', 'b.ts', 'c.ts'].map((f) => join(dir, f));
      expect(findCycle(files, 'all')?.map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
      expect(findCycle(files, 'runtime')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every detection file within ~500 lines', () => {
    const long = sources(join(core, 'detection'))
      .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > 520);
    expect(long).toEqual([]);
  });
});
