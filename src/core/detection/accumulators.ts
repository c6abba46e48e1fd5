/**
 * Losses summed into a name (docs/detection.md §3.178): `total += term` / `total -= term`, written
 * once at the top level or in the body of a module-level `for` loop (nested loops included), the
 * name holding a number before the loop. The loop is run item by item (loops.ts) from that number,
 * and the name holds the sum after it, as `total = total + term` written out would.
 */
import type { Evaluator } from './evaluate';
import type { Node } from './expr';
import type { RecordedStmt } from './functions';
import { readNames } from './nodeNames';
import type { Scopes } from './scope';
import type { Value } from './values';

/**
 * `left op= right` for `+=`, `-=`, `*=` and `/=` run once: the value `left op right` has, or null when
 * it is not known (then the name stays unknown, as before).
 */
export function accumulated(ev: Evaluator, left: Node, aug: string, right: Node): Value | null {
  if (left.type !== 'name' || !['+=', '-=', '*=', '/='].includes(aug)) return null;
  const value = ev.evaluate({ type: 'binary', op: aug[0], left, right, start: left.start, end: right.end } as Node);
  return value.kind === 'unknown' ? null : value;
}

/** A `for` statement as recorded (functions.ts). */
type ForStmt = RecordedStmt & { k: 'for' };

/**
 * The names `stmt` only adds to or subtracts from: targets of `name += …` / `name -= …` anywhere in
 * its body (nested `for` bodies included), never assigned otherwise there and never read by any other
 * statement of it (the term added included), so every iteration adds a term that does not depend on
 * the sum so far. Empty when there are none; null when a name is both summed into and read or set.
 */
export function summedNames(stmt: ForStmt): Set<string> | null {
  const summed = new Set<string>();
  const other = new Set<string>();
  const read = new Set<string>();
  const walk = (body: RecordedStmt[]): void => {
    for (const s of body) {
      if (s.k === 'assign') {
        readNames(s.value(), read);
        for (const t of s.targets) {
          const node = t();
          if (node.type === 'name' && (s.aug === '+' || s.aug === '-')) summed.add(node.id);
          else if (node.type === 'name') other.add(node.id);
          else readNames(node, read);
        }
      } else if (s.k === 'expr') readNames(s.node(), read);
      else if (s.k === 'return' && s.node) readNames(s.node(), read);
      else if (s.k === 'if')
        for (const t of s.tests) {
          if (t.cond) readNames(t.cond(), read);
          walk(t.body);
        }
      else if (s.k === 'for') {
        readNames(s.iter(), read);
        readNames(s.target(), other);
        walk(s.body);
      }
    }
  };
  readNames(stmt.iter(), read);
  walk(stmt.body);
  for (const n of summed) if (other.has(n) || read.has(n)) return null;
  return summed;
}

/**
 * Names a module-level loop's text adds to or subtracts from (`  total += …`), read from the lines
 * under its header at `from` (up to the first line at or left of `indent`), with their values before
 * the loop runs: a number each, or the name is left out. One pass over the body's lines.
 */
export function valuesBefore(text: string, from: number, indent: number, scopes: Scopes): Map<string, Value> {
  const out = new Map<string, Value>();
  let at = text.indexOf('\n', from);
  while (at >= 0 && at < text.length) {
    const start = at + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    at = end;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (line.length - line.trimStart().length <= indent) break;
    const m = /^\s+([A-Za-z_]\w*)\s*[-+]=/.exec(line);
    if (!m || out.has(m[1])) continue;
    const v = scopes.lookup(m[1]);
    if (v?.kind === 'number') out.set(m[1], v);
  }
  return out;
}
