/**
 * pytest's `@pytest.mark.parametrize("logits, labels", [(…, …), (…, …)])` above a test function:
 * pytest calls the function once per case, with the case's values bound to the named parameters.
 * The decorator's cases are kept, and once the function's body has been read to its end each case
 * is run as a call of the function (replay.ts): a loss the body computes from its parameters is a
 * pair per case, at the body's call, its arrays at the case that gave them.
 *
 * Only what pytest would run the same way is read: names given as one string (`"a, b"`) or a list
 * of strings, cases as a list or tuple of tuples (a bare value when there is one name), and
 * `pytest.param(…)` entries unwrapped. Cases handed through fixtures (`indirect=…`), names that do
 * not match the cases, and methods (not followed by the replay) are left alone: the body then has
 * no values for its parameters, as before.
 */
import type { DetectionContext } from './context';
import type { Evaluation } from './evaluation';
import type { Node } from './expr';
import type { FunctionRecord } from './functions';
import { literalItems } from './literalItems';
import { callFunction } from './replay';
import type { Scopes } from './scope';

/** Cases run per function at most (stacked decorators multiply). */
const maxCases = 64;
/** Cases run per text at most: each is a followed call, and a file of thousands of cases is not a test file to read whole. */
const maxRunsPerText = 2000;

type Case = Map<string, Node>;

/** `pytest.mark.parametrize`, `mark.parametrize` or a bare imported `parametrize`. */
function isParametrize(callee: Node): boolean {
  if (callee.type === 'name') return callee.id === 'parametrize';
  if (callee.type !== 'attribute' || callee.name !== 'parametrize') return false;
  const o = callee.object;
  return (o.type === 'name' && o.id === 'mark') || (o.type === 'attribute' && o.name === 'mark');
}

/** The parameter names: `"a, b"`, `"a,b"`, `["a", "b"]` or `("a", "b")`; null when not plain names. */
function names(node: Node): string[] | null {
  const parts =
    node.type === 'string' && node.value !== null
      ? node.value.split(',').map((s) => s.trim())
      : node.type === 'sequence' && node.items.every((i) => i.type === 'string' && i.value !== null)
        ? node.items.map((i) => (i.type === 'string' ? (i.value as string).trim() : ''))
        : null;
  if (!parts || parts.length === 0 || parts.some((s) => !/^[A-Za-z_]\w*$/.test(s))) return null;
  return new Set(parts).size === parts.length ? parts : null;
}

/** A `pytest.param(a, b, id=…)` entry's values; any other node as it is. */
function unwrap(node: Node): Node | Node[] {
  if (node.type !== 'call') return node;
  const c = node.callee;
  const param = (c.type === 'attribute' && c.name === 'param') || (c.type === 'name' && c.id === 'param');
  return param ? node.args : node;
}

/** The cases of one `parametrize(…)` decorator, or null when it is not one pytest runs as read here. */
export function parametrizeCases(ctx: DetectionContext, decorator: Node): Case[] | null {
  if (decorator.type !== 'call' || !isParametrize(decorator.callee)) return null;
  if (decorator.keywords.some((k) => k.name === 'indirect')) return null;
  const [namesNode, valuesNode] = decorator.args;
  const argNames = namesNode ? names(namesNode) : null;
  if (!argNames || !valuesNode) return null;
  // A list of cases the tokenizer read whole as a numeric literal (ragged, often): its items apart.
  const list =
    valuesNode.type === 'sequence'
      ? valuesNode.items
      : valuesNode.type === 'literal'
        ? literalItems(ctx, valuesNode.start, valuesNode.end)
        : null;
  if (!list) return null;
  // pytest hands the cases over one by one, never as one array: a ragged list of them is valid.
  const site = valuesNode.type === 'literal' ? ctx.sites[valuesNode.site] : undefined;
  if (site) ctx.withdrawRagged(site);
  const cases: Case[] = [];
  for (const item of list) {
    const entry = unwrap(item);
    let values: Node[];
    if (argNames.length === 1) values = Array.isArray(entry) ? entry : [entry];
    else if (Array.isArray(entry)) values = entry;
    else if (entry.type === 'sequence') values = entry.items;
    else if (entry.type === 'literal') {
      // `([1.0, 0.0], [0.8, 0.3])`, read whole as one numeric literal: its items, read apart.
      const items = literalItems(ctx, entry.start, entry.end);
      if (!items) return null;
      const site = ctx.sites[entry.site];
      if (site) ctx.withdrawRagged(site);
      values = items;
    } else return null;
    if (values.length !== argNames.length) return null;
    cases.push(new Map(argNames.map((n, i) => [n, values[i]])));
  }
  return cases;
}

/** The decorators read above the next `def`, and the functions waiting for their bodies to end. */
export class Parametrized {
  /** Each decorator's cases, in order; null once one of them is not read (the function is then left alone). */
  private pending: Case[][] | null = [];
  private waiting: { record: FunctionRecord; cases: Case[] }[] = [];
  private runs = 0;

  /** A `parametrize(…)` decorator's cases (null: a parametrize not read, so the function's cases are unknown). */
  decorator(cases: Case[] | null): void {
    if (this.pending === null) return;
    if (cases === null) this.pending = null;
    else this.pending.push(cases);
  }

  /** Any statement that is not a decorator ends the decorators of the next `def`. */
  clear(): void {
    // Called for every statement: an empty list already there is kept (no garbage per statement).
    if (this.pending === null || this.pending.length > 0) this.pending = [];
  }

  /** The `def` under the decorators: a function (null: a method or class, left alone). */
  attach(record: FunctionRecord | null): void {
    const pending = this.pending;
    if (!record || !pending || pending.length === 0) {
      this.clear();
      return;
    }
    this.pending = [];
    let cases: Case[] = [new Map()];
    for (const list of pending) {
      const next: Case[] = [];
      for (const a of cases) for (const b of list) next.push(new Map([...a, ...b]));
      if (next.length > maxCases) return;
      cases = next;
    }
    this.waiting.push({ record, cases });
  }

  /** Runs the cases of every function whose body has been read to its end. */
  run(ev: Evaluation, scopes: Scopes): void {
    if (this.waiting.length === 0) return;
    const done = this.waiting.filter((w) => w.record.complete);
    if (done.length === 0) return;
    this.waiting = this.waiting.filter((w) => !w.record.complete);
    for (const { record, cases } of done) {
      for (const c of cases) {
        if (++this.runs > maxRunsPerText) return;
        const first = [...c.values()][0];
        const at = first ? first.start : 0;
        callFunction(ev, scopes, record, {
          type: 'call',
          callee: { type: 'name', id: record.name, start: at, end: at },
          args: [],
          keywords: [...c].map(([name, value]) => ({ name, value })),
          isNew: false,
          start: at,
          end: first ? first.end : at,
        });
      }
    }
  }

  /** A new text: nothing carries over. */
  reset(): void {
    this.pending = [];
    this.waiting = [];
    this.runs = 0;
  }
}
