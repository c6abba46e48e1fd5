/**
 * Code written as plain lines in a page without code blocks (a web page's example whose lines are
 * in the page text, not in a fence): which runs of lines read as a program (markdown.ts reads them
 * as Python blocks).
 */
import { bracketDepth } from './doctest';

/** A line of the page: its start, its end (without the line break) and where the next one starts. */
interface Line {
  start: number;
  end: number;
  next: number;
}

/** A run of plain lines that reads as Python: its span, and where the text after it starts. */
export interface LooseRun {
  start: number;
  end: number;
  after: number;
}

/** A notebook cell's header as a rendered page shows it (`In [3]:`): the lines under it are the cell's code. */
const cellHeader = /^\s*In\s?\[\s*(?:\d*|None)\s*\]:\s*$/;

/** A line at the margin that only Python code has. */
const looseStart =
  /^(?:import [\w.]+(?: as \w+)?\s*$|from [\w.]+ import [\w, ]+$|def \w+\s*\([^)]*\)\s*:\s*(?:#.*)?$|print\s?\(.*\)\s*(?:#.*)?$|[A-Za-z_]\w*\s*=\s*(?:[-\d.[(]|np\.|torch\.|tf\.)[^=]*$|[A-Za-z_]\w*\s*=\s*(?:np|torch|tf|F|nn|keras)\.[\w.]+\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:#.*)?$|[A-Za-z_]\w*\s*=\s*(?:np|torch|tf|F|nn|keras)\.[\w.]+\(\s*$)/;

/**
 * A call of a name the code bound (`loss = ce_loss(logits, target)`) assigned to a name: code only
 * when it continues a run of such lines (a line of prose alone does not start one).
 */
const looseContinuation = /^[A-Za-z_]\w*\s*=\s*[A-Za-z_][\w.]*\([\w\s,.'"=[\]-]*\)\s*(?:#.*)?$/;

/**
 * `print(-np.log(p[` at the margin, its brackets left open for the lines below (docs §3.144): code,
 * as a one-line print is, when it has no string (a sentence rarely starts with `print(` and never
 * leaves a bracket open without quoting something).
 */
const openPrint = /^print\([^"'`#]*$/;

/**
 * `for a, b in data:` / `for p, t in zip(preds, targets):` at the margin: code when what it goes over
 * is a name the page's code bound, or `zip` / `enumerate` of such names (docs §3.275), each of them
 * perhaps converted on the way (`zip(targets, np.array(predictions))`, docs §3.320). Its indented
 * body is read with it, as a `def`'s is.
 */
const forLine = /^for\s+\(?[A-Za-z_]\w*(?:\s*,\s*\(?[A-Za-z_]\w*\)?)*\)?\s+in\s+(.+?)\s*:\s*(?:#.*)?$/;

function loopOverBound(raw: string, bound: Set<string>): boolean {
  const m = forLine.exec(raw);
  if (!m) return false;
  const over = /^(?:zip|enumerate)\(\s*([\w.() ]+(?:,[\w.() ]+)*)\s*\)$/.exec(m[1]);
  const names = over ? over[1].split(',').map((n) => convertedName(n.trim())) : [m[1]];
  return names.every((n) => n !== null && bound.has(n));
}

/** A name, or a name under one conversion that keeps its values (`np.array(p)`, `list(p)`): the name. */
function convertedName(arg: string): string | null {
  const m = /^(?:(?:np|numpy|torch)\.(?:array|asarray|tensor)|list)\(\s*([A-Za-z_]\w*)\s*\)$|^([A-Za-z_]\w*)$/.exec(
    arg,
  );
  return m ? (m[1] ?? m[2]) : null;
}

/** `with expr as name:` at the margin: code when it continues a run of code lines. */
const withLine = /^with\s+[A-Za-z_][\w.]*\(.*\)\s+as\s+[A-Za-z_]\w*\s*:\s*$/;

/**
 * A comment holding only a printed value (`# 0.9142667`, `# tensor(0.4170)`, `# [0.36 2.3]`, TensorFlow's
 * eager `# tf.Tensor(1.6452, shape=(), dtype=float64)`) right under a line of code: the value that line
 * printed, written as the next line's comment. It stays in the run (a comment is Python), so claims.ts
 * reads it as it reads one in a file. A Markdown heading is not one: `# Results` has no number, and
 * `# 2. Train the model` has words after it.
 */
const printedComment =
  /^#[ \t]*(?:-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|tensor\(.*\)|array\(.*\)|tf\.Tensor\(.*\)|\[[-+\d.eE, ]*\])[ \t]*$/;

/**
 * `name = rest` where `rest` starts with a name (`y_pred = probs[0]`, `p = e / np.sum(e)`): the first
 * name of `rest`, else null. Code when the page's code bound that name (see looseCode); no string
 * and balanced brackets, as for a call.
 */
function firstNameOfAssignment(raw: string): string | null {
  // The rest up to a comment (a quote anywhere refuses the line, so a `#` here starts a comment). A minus,
  // perhaps times a number, may come first (`val = -1.0 * ll.gather(dim=0, index=t)`, 3.367).
  const m = /^[A-Za-z_]\w*\s*=(?!=)\s*(?:-\s*(?:\d+(?:\.\d*)?\s*\*\s*)?)?([A-Za-z_]\w*)\b([^#]*)/.exec(raw);
  if (!m || /["'`]/.test(m[2]) || bracketDepth(m[2], 0) !== 0 || assignsAtMargin(m[2])) return null;
  return m[1];
}

/** Does `rest` hold an `=` outside brackets (a second assignment, prose)? A keyword argument's is inside a call's. */
function assignsAtMargin(rest: string): boolean {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '=' && rest[i + 1] !== '=' && !'=!<>'.includes(rest[i - 1] ?? ' ')) {
      // `f(dim=0)`: a keyword, a name right before it, inside brackets.
      if (depth === 0 || !/[A-Za-z_]\w*\s*$/.test(rest.slice(Math.max(0, i - 40), i))) return true;
    }
  }
  return false;
}

/**
 * `name = f(` or `f(` with its bracket left open for the lines below (`loss = cce(` over the
 * operands' lines), no string and no comment: the callee `f`, else null. Code when the page's code
 * bound `f` (docs §3.201), as a one-line call of it is.
 */
function openCalleeOfLine(raw: string): string | null {
  const m = /^(?:[A-Za-z_]\w*\s*=\s*)?([A-Za-z_]\w*)\(([^"'`#]*)$/.exec(raw);
  return m && bracketDepth(`(${m[2]}`, 0) > 0 ? m[1] : null;
}

/** `name = f(…)` or `f(…)` alone on a line, brackets balanced: the callee `f`, else null. */
function calleeOfLine(raw: string): string | null {
  const m = /^(?:[A-Za-z_]\w*\s*=\s*)?([A-Za-z_]\w*)\((.*)\)\s*(?:#.*)?$/.exec(raw);
  if (!m || /["'`]/.test(m[2]) || bracketDepth(`(${m[2]})`, 0) !== 0) return null;
  return m[1];
}

/**
 * `f(a, b)` alone on a line, `f` spelled as a cross-entropy or NLL loss and every argument a name the
 * code above bound, or a keyword given one (`categorical_crossentropy(target, output)` under the lines
 * that made `target` and `output`; `f(labels=labels, logits=logits)`, 3.239): the expression a page shows the result of, code when it continues a run (docs §3.174).
 * Prose under code does not call a loss on nothing but the program's own names; any other callee
 * (`loss_object(y_true, y_pred)`, a name the page never defines) is left to the other rules, so that
 * infer.ts still names that call as what decides the number.
 */
const boundArg = '(?:[A-Za-z_]\\w*\\s*=\\s*)?[A-Za-z_]\\w*';
const boundCall = new RegExp(
  `^(?:[A-Za-z_]\\w*\\.)*(\\w+)\\(\\s*(${boundArg}(?:\\s*,\\s*${boundArg})*)\\s*,?\\s*\\)\\s*(?:#.*)?$`,
);

function callOfBoundNames(raw: string, bound: Set<string>): boolean {
  const m = boundCall.exec(raw);
  // Each argument a bound name, or a keyword given one (`labels=labels, logits=logits`, 3.239).
  return (
    m !== null &&
    /cross_?entropy|nll_?loss|crossentropy/i.test(m[1]) &&
    m[2].split(',').every((a) => bound.has(a.slice(a.indexOf('=') + 1).trim()))
  );
}

/**
 * Code written as plain lines in a page without code blocks: runs of lines that only a program
 * has at the margin, the indented body under a `def` line, lines inside an open bracket, and the
 * lines under a notebook cell's `In [n]:` header up to the first blank line. A
 * call of a name that code lines above bound (`criterion = nn.BCELoss()` … `loss = criterion(x, y)`)
 * is code wherever it stands: prose does not call what a program named (`callee` needs balanced
 * brackets and no string, so a sentence with quotes or a stray bracket is never taken), unless a
 * line not read as code assigns that name again in between.
 */
export function looseCode(text: string, lines: Line[], fenced: [number, number][]): LooseRun[] {
  const out: LooseRun[] = [];
  const inFence = new Uint8Array(lines.length);
  for (const [a, b] of fenced) for (let k = a; k <= b && k < lines.length; k++) inFence[k] = 1;
  let run: [number, number] | null = null;
  let depth = 0;
  let body = false;
  const bound = new Set<string>();
  // The last line read as code: a `with` line one blank line under it continues the code.
  let lastCode = -3;
  const flush = (): void => {
    if (run) {
      const [a, b] = run;
      const after = Math.min(lines[b].next, text.length);
      out.push({ start: lines[a].start, end: lines[b].end, after });
    }
    run = null;
    body = false;
  };
  // Inside a notebook cell rendered as page text: the lines under an `In [n]:` header, up to a blank line.
  let cell = false;
  for (let k = 0; k < lines.length; k++) {
    const raw = text.slice(lines[k].start, lines[k].end);
    // A blank line inside a def body (the next line with text is still indented) keeps the run.
    const blankInBody = body && raw.trim() === '' && indentedAhead(text, lines, k + 1);
    if (!inFence[k] && cellHeader.test(raw)) {
      flush();
      depth = 0;
      cell = true;
      continue;
    }
    // A blank line ends a cell's code unless code goes on under it (a notebook cell keeps its blank lines).
    if (raw.trim() === '' && depth === 0 && !blankInBody)
      cell = cell && (cellGoesOn(text, lines, k + 1, inFence) || bodyGoesOn(text, lines, lastCode, k + 1));
    const code =
      !inFence[k] &&
      ((cell && depth === 0) ||
        depth > 0 ||
        blankInBody ||
        looseStart.test(raw) ||
        (depth === 0 && openPrint.test(raw) && bracketDepth(raw, 0) > 0) ||
        (run !== null && looseContinuation.test(raw)) ||
        (run !== null && depth === 0 && callOfBoundNames(raw, bound)) ||
        (k - lastCode <= 2 && depth === 0 && withLine.test(raw)) ||
        (run !== null && depth === 0 && printedComment.test(raw)) ||
        (depth === 0 && bound.has(calleeOfLine(raw) ?? '')) ||
        (depth === 0 && bound.has(openCalleeOfLine(raw) ?? '')) ||
        (depth === 0 && bound.has(firstNameOfAssignment(raw) ?? '')) ||
        (depth === 0 && loopOverBound(raw, bound)) ||
        (body && /^(?: {2,}|\t)\S/.test(raw)) ||
        // A body a copied page left at the margin ends with its `return` (pageIndentation.ts, §3.147).
        (body && depth === 0 && /^return\b/.test(raw) && bracketDepth(raw, 0) === 0));
    if (!code) {
      // A line not read as code that may bind names (`bce = f(a,` continued on lines that are not,
      // `for`, `with … as`, `import`): a later call of any name it mentions is no longer known to call
      // what the code above bound.
      if (bound.size && /[^=!<>]=(?!=)|\b(?:for|as|import|def|class)\b/.test(raw))
        for (const w of raw.match(/[A-Za-z_]\w*/g) ?? []) bound.delete(w);
      flush();
      depth = 0;
      continue;
    }
    run = run ? [run[0], k] : [k, k];
    lastCode = k;
    const assigned = depth === 0 ? /^([A-Za-z_]\w*)\s*=(?!=)/.exec(raw) : null;
    if (assigned) bound.add(assigned[1]);
    // Names a loose `from m import a, b` line brings in are bound too (`x = exp(0.3) + exp(1.2)` calls one).
    const imported = depth === 0 ? /^from [\w.]+ import ([\w, ]+)$/.exec(raw) : null;
    if (imported) for (const name of imported[1].split(',')) if (name.trim()) bound.add(name.trim());
    depth = bracketDepth(raw, depth);
    // The indented body of a `with … as name:` that continues the code (`with tf.Session() as sess:`).
    if (withLine.test(raw) || (depth === 0 && forLine.test(raw))) body = true;
    if (/^def /.test(raw)) {
      body = true;
      // A function the page defines is bound: a later line calling it is code.
      const name = /^def\s+([A-Za-z_]\w*)/.exec(raw);
      if (name) bound.add(name[1]);
    }
  }
  flush();
  return out;
}

/** A statement only code has at the margin: a keyword statement, an assignment, a call or a print. */
const cellCode =
  /^(?:(?:import|from|def|class|for|while|if|with|try|return|print)\b|[A-Za-z_][\w.]*(?:\[[^\]]*\])*\s*(?:[-+*/%@]|\/\/|\*\*)?=[^=]|[A-Za-z_][\w.]*\s*\(.*\)\s*(?:#.*)?$)/;

/** A clause that goes on a compound statement: `elif x:`, `else:`, `except E as e:`, `finally:`. */
const clauseHeader = /^(?:elif\b[^#]*|else|except\b[^#]*|finally)\s*:[ \t]*(?:#.*)?$/;

/** A value as a cell prints it (`tensor(1.42)`, `array([…])`, `np.float64(0.51)`): output that looks like a call. */
const printedRepr =
  /^\s*(?:tensor\(|array\(|Tensor\(|tf\.Tensor\(|<tf\.Tensor|DeviceArray\(|Array\(|np\.(?:float|int|uint)\d+\(|Out\[)/;

/**
 * Whether a notebook cell's code goes on after the blank line before line `from` (docs §3.130): the
 * next line with text (within two) is a statement only code has, or a `#` comment line right above
 * one (a Markdown heading is followed by prose, a comment by the code it describes). Output, prose,
 * a heading and the next cell's header end the cell.
 */
function cellGoesOn(text: string, lines: Line[], from: number, inFence: Uint8Array): boolean {
  const raw = (k: number): string => text.slice(lines[k].start, lines[k].end);
  let k = from;
  while (k < lines.length && k < from + 2 && raw(k).trim() === '') k++;
  if (k >= lines.length || inFence[k] || raw(k).trim() === '' || cellHeader.test(raw(k))) return false;
  if (printedRepr.test(raw(k))) return false;
  if (cellCode.test(raw(k)) || lastNames(raw, k)) return true;
  return /^#[ \t]/.test(raw(k)) && k + 1 < lines.length && !inFence[k + 1] && cellCode.test(raw(k + 1));
}

/**
 * Line `k` is only names (`l2`, `l1,l2`) that lines of its cell above assign at the margin (within 200
 * lines, up to the cell's header): the cell's last expression, whose value the page shows under it (3.305).
 */
function lastNames(raw: (k: number) => string, k: number): boolean {
  const line = raw(k);
  if (line.length > 200 || !/^[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*,?\s*$/.test(line)) return false;
  const names = new Set(
    line
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
  for (let j = k - 1; j >= 0 && j >= k - 200 && names.size > 0 && !cellHeader.test(raw(j)); j--) {
    const m = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=[^=]/.exec(raw(j));
    if (m) for (const n of m[1].split(',')) names.delete(n.trim());
  }
  return names.size === 0;
}

/**
 * Whether a blank line (or a line of spaces) inside a notebook cell's indented block has more of that
 * block under it (docs §3.177): a class's method goes on after a blank line as a function does. The
 * last line of code above is indented (or is the `class` / `def` header the blank line follows), and the
 * next line with text is indented too and is a statement only code has; printed values and prose stay outside.
 */
function bodyGoesOn(text: string, lines: Line[], last: number, from: number): boolean {
  if (last < 0) return false;
  const above = text.slice(lines[last].start, lines[last].end);
  // Above: a line of the block, or the block's header itself (`class Loss:` with a blank line under it, 3.337).
  if (!/^(?: {2,}|\t)\S/.test(above) && !/^(?:class|def|async def)\b[^#]*:[ \t]*(?:#.*)?$/.test(above)) return false;
  for (let k = from; k < lines.length && k < from + 2; k++) {
    const raw = text.slice(lines[k].start, lines[k].end);
    if (raw.trim() === '') continue;
    // `elif …:` / `else:` / `except …:` / `finally:` go on an `if` or a `try` of the block (3.337).
    return /^(?: {2,}|\t)\S/.test(raw) && (cellCode.test(raw.trim()) || clauseHeader.test(raw.trim()));
  }
  return false;
}

function indentedAhead(text: string, lines: Line[], from: number): boolean {
  for (let k = from; k < lines.length && k < from + 50; k++) {
    const raw = text.slice(lines[k].start, lines[k].end);
    if (raw.trim() !== '') return /^(?: {2,}|\t)\S/.test(raw);
  }
  return false;
}

/** A notebook rendered as page text: an `In [n]:` cell header on a line of its own outside every fence. */
export function notebookPage(text: string, lines: Line[], fenced: [number, number][]): boolean {
  if (!text.includes('In [') && !text.includes('In[')) return false;
  for (let k = 0; k < lines.length; k++)
    if (cellHeader.test(text.slice(lines[k].start, lines[k].end)) && !fenced.some(([a, b]) => k >= a && k <= b))
      return true;
  return false;
}
