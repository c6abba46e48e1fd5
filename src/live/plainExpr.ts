/**
 * Plain expressions: a name followed by attribute steps (`outputs.logits`) and literal subscripts
 * (`batch["labels"]`, `xs[0]`), optionally followed by a short whitelist of tensor methods with
 * integer arguments (`logits.view(-1, logits.size(-1))`) — enough for the usual reshapes before a
 * loss, and nothing that could run a forward pass. Anything else (`model(x)`, `a + b`) is `other`
 * and is never evaluated. The parsed form is what the helpers walk; no text is ever evaluated.
 */
import {
  jsKeywords,
  matching,
  pythonKeywords,
  splitArgs,
  tokenAt,
  tokenize,
  type LiveLanguage,
  type Token,
} from './liveTokens';

export type { LiveLanguage } from './liveTokens';

/** One step after the root name: `.attr` or `[literal]`. */
export type PathStep = ['attr', string] | ['item', string | number];

/** A whitelisted tensor method applied after the steps: name and integer (or plain) arguments. */
export type TensorOp = [name: string, args: (number | PlainExpr)[]];

/** A plain expression, as the helpers walk it (JSON-serialisable; no text is ever evaluated). */
export interface PlainExpr {
  root: string;
  steps: PathStep[];
  ops: TensorOp[];
  /** The expression as written (for messages and labels). */
  text: string;
}

export type LiteralValue = number | string | boolean | null;

export type ArgExpr =
  | { kind: 'plain'; expr: PlainExpr; text: string }
  | { kind: 'literal'; value: LiteralValue; text: string }
  | { kind: 'other'; text: string };
/** Methods applied to a tensor argument before the loss, when their arguments are integers. */
export const tensorMethods: ReadonlySet<string> = new Set([
  'view',
  'reshape',
  'flatten',
  'contiguous',
  'float',
  'double',
  'long',
  'squeeze',
  'unsqueeze',
  'transpose',
  'permute',
  't',
  'detach',
  'size',
]);

export function argExpr(st: Token[], from: number, to: number, text: string, language: LiveLanguage): ArgExpr {
  const src = text.slice(tokenAt(st, from).start, tokenAt(st, to - 1).end);
  const lit = parseLiteral(st, from, to, language);
  if (lit !== undefined) return { kind: 'literal', value: lit, text: src };
  const e = parsePlain(st, from, to, text, language);
  if (e) return { kind: 'plain', expr: e, text: src };
  return { kind: 'other', text: src };
}

// Maps rather than object literals, so that `toString` or `constructor` in the code is never
// mistaken for a known word through the prototype.
const pythonWords = new Map<string, LiteralValue>([
  ['None', null],
  ['True', true],
  ['False', false],
]);
const jsWords = new Map<string, LiteralValue>([
  ['null', null],
  ['undefined', null],
  ['true', true],
  ['false', false],
]);

/** A number, string, None/True/False (null/true/false) literal spanning exactly [from, to). */
export function parseLiteral(st: Token[], from: number, to: number, language: LiveLanguage): LiteralValue | undefined {
  let k = from;
  let sign = 1;
  if (st[k]?.value === '-' && to - from === 2) {
    sign = -1;
    k++;
  }
  const t = st[k];
  if (k !== to - 1 || !t) return undefined;
  if (t.type === 'number') {
    const v = Number(t.value.replace(/_/g, '').replace(/[nL]$/, ''));
    return Number.isNaN(v) ? undefined : sign * v;
  }
  if (sign < 0) return undefined;
  if (t.type === 'string') return stringValue(t.value, language);
  const words = language === 'python' ? pythonWords : jsWords;
  return t.type === 'name' && words.has(t.value) ? words.get(t.value) : undefined;
}

const escapes = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['0', '\0'],
]);

/** The value of a plain string literal; undefined for f-strings, bytes and template literals. */
export function stringValue(raw: string, language: LiveLanguage): string | undefined {
  const m = /^([rRbBuUfF]*)(['"`])/.exec(raw);
  const [, rawPrefix, q] = m ?? [];
  if (rawPrefix === undefined || q === undefined) return undefined;
  const prefix = rawPrefix.toLowerCase();
  if (prefix.includes('f') || prefix.includes('b') || q === '`') return undefined;
  const triple = language === 'python' && raw.startsWith(q.repeat(3), prefix.length);
  const body = raw.slice(prefix.length + (triple ? 3 : 1), raw.length - (triple ? 3 : 1));
  if (prefix.includes('r')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u') || e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return escapes.get(e) ?? e;
  });
}

/**
 * A plain expression spanning exactly [from, to): name (.attr | [literal])* followed by
 * whitelisted tensor methods with integer or plain arguments. null when it is anything else.
 */
export function parsePlain(
  st: Token[],
  from: number,
  to: number,
  text: string,
  language: LiveLanguage,
): PlainExpr | null {
  const kw = language === 'python' ? pythonKeywords : jsKeywords;
  const first = st[from];
  if (!first || first.type !== 'name' || kw.has(first.value) || from >= to) return null;
  const expr: PlainExpr = {
    root: first.value,
    steps: [],
    ops: [],
    text: text.slice(first.start, tokenAt(st, to - 1).end),
  };
  let k = from + 1;
  while (k < to) {
    const t = tokenAt(st, k);
    const next = st[k + 1];
    if (t.value === '.' && next?.type === 'name' && k + 1 < to) {
      const name = next.value;
      if (st[k + 2]?.value === '(' && k + 2 < to) {
        if (language !== 'python' || !tensorMethods.has(name)) return null;
        const close = matching(st, k + 2);
        if (close < 0 || close >= to) return null;
        const args: (number | PlainExpr)[] = [];
        for (const a of splitArgs(st, k + 2, close)) {
          if (a.name) return null;
          const lit = parseLiteral(st, a.from, a.to, language);
          if (typeof lit === 'number' && Number.isInteger(lit)) {
            args.push(lit);
            continue;
          }
          const sub = parsePlain(st, a.from, a.to, text, language);
          if (!sub) return null;
          args.push(sub);
        }
        expr.ops.push([name, args]);
        k = close + 1;
        continue;
      }
      if (expr.ops.length) return null;
      expr.steps.push(['attr', name]);
      k += 2;
      continue;
    }
    if (t.value === '[' && t.type === 'op') {
      const close = matching(st, k);
      if (close < 0 || close >= to) return null;
      const lit = parseLiteral(st, k + 1, close, language);
      if (typeof lit === 'string' || (typeof lit === 'number' && Number.isInteger(lit))) {
        if (expr.ops.length && typeof lit !== 'number') return null;
        if (expr.ops.length) {
          // `x.size()[-1]` style: only an integer index after a method, kept as an item step on the op result.
          return null;
        }
        expr.steps.push(['item', lit]);
        k = close + 1;
        continue;
      }
      return null;
    }
    return null;
  }
  return expr;
}

/** Parses one expression the user typed or picked ("logits", `batch["labels"]`); null when not plain. */
export function parsePlainExpression(source: string, language: LiveLanguage): PlainExpr | null {
  const toks = tokenize(source, language).filter((t) => t.type !== 'newline');
  if (!toks.length) return null;
  return parsePlain(toks, 0, toks.length, source, language);
}

/** Writes a plain expression back as JavaScript source: only identifiers and JSON literals appear. */
export function jsSource(e: PlainExpr): string {
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  if (!ident.test(e.root)) throw new Error(`not an identifier: ${e.root}`);
  let s = e.root;
  for (const [kind, key] of e.steps) {
    if (kind === 'attr' && ident.test(key as string)) s += `.${key}`;
    else s += `[${JSON.stringify(key)}]`;
  }
  if (e.ops.length) throw new Error('tensor methods are not applied in JavaScript');
  return s;
}
