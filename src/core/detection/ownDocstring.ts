/**
 * An example written in the docstring of a Python definition documents that definition
 * (docs/detection.md 3.75): SeetaTech dragon's TensorFlow-compatible module defines its own
 * `categorical_crossentropy` and shows it as `tf.keras.losses.categorical_crossentropy(y_true, y_pred)`
 * in the function's docstring, although dragon's reads `y_pred` as logits where Keras's reads
 * probabilities. A loss whose catalogue name is the name of the module-level `def` or `class` whose
 * docstring holds the call is that definition's, not the library's: the pair keeps no number.
 */

const definition = /^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/;

/**
 * The module-level `def` / `class` whose docstring (or body) holds `offset`, with whether the
 * offset lies inside a triple-quoted string opened after its header; null outside any.
 */
export function docstringOwner(text: string, offset: number): { name: string; line: number } | null {
  if (offset <= 0 || offset > text.length) return null;
  let end = text.lastIndexOf('\n', offset - 1) + 1;
  // At most this many lines are looked back over (a definition's docstring is near its header).
  for (let n = 0; n < 400 && end > 0; n++) {
    const start = text.lastIndexOf('\n', end - 2) + 1;
    const line = text.slice(start, end - 1);
    // A header over several lines closes at column 0 (`):`, `) -> float:`): still the header.
    if (line.length > 0 && !/^[ \t#)\]]/.test(line)) {
      const m = definition.exec(line);
      if (!m) return null;
      if (!insideString(text, end, offset)) return null;
      return { name: m[1], line: lineNumber(text, start) };
    }
    end = start;
  }
  return null;
}

let quotes = { text: '', at: new Map<number, { d: number[]; s: number[] }>() };

/**
 * An odd number of triple quotes of one kind between a header's end (`from`) and the offset. The
 * quotes after a header are found once per document (many pairs on one long line stay linear).
 */
function insideString(text: string, from: number, offset: number): boolean {
  if (quotes.text !== text) quotes = { text, at: new Map() };
  let q = quotes.at.get(from);
  if (!q) {
    q = { d: positions(text, from, '"""'), s: positions(text, from, "'''") };
    quotes.at.set(from, q);
  }
  return before(q.d, offset) % 2 === 1 || before(q.s, offset) % 2 === 1;
}

/** Where `mark` occurs from `from` to the end of the definition (the next line at column 0). */
function positions(text: string, from: number, mark: string): number[] {
  const out: number[] = [];
  const next = /\n(?=[^\s#)\]])/g;
  next.lastIndex = from;
  const end = next.exec(text)?.index ?? text.length;
  for (let i = text.indexOf(mark, from); i >= 0 && i < end; i = text.indexOf(mark, i + 3)) out.push(i);
  return out;
}

/** How many of the sorted positions lie before `offset`. */
function before(sorted: number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let breaks = { text: '', at: [] as number[] };

/** The 1-based line of `offset` (the document's line breaks found once). */
function lineNumber(text: string, offset: number): number {
  if (breaks.text !== text) {
    const at: number[] = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) at.push(i);
    breaks = { text, at };
  }
  return before(breaks.at, offset) + 1;
}

/** The module names a library is imported under. */
const modules: Record<string, string> = {
  keras: 'tensorflow|keras|tf_keras',
  tf: 'tensorflow',
  tensorflow: 'tensorflow',
  torch: 'torch',
  optax: 'optax|jax',
  jax: 'jax',
};

let scanned = { text: '', defined: new Set<string>(), imports: new Map<string, boolean>() };

/** The document's module-level `def` and `class` names, found once per document. */
function definedNames(text: string): Set<string> {
  if (scanned.text !== text) {
    const defined = new Set<string>();
    for (const m of text.matchAll(/^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm)) defined.add(m[1]);
    scanned = { text, defined, imports: new Map() };
  }
  return scanned.defined;
}

/** The module names `library` is imported under, as a regular-expression alternation. */
const libraryNames = (library: string): string => modules[library] ?? library.replace(/\W/g, '');

/** The document imports `library` (`import oneflow as flow`, `from tensorflow import keras`), once per library. */
function importsLibrary(text: string, library: string): boolean {
  definedNames(text);
  let found = scanned.imports.get(library);
  if (found === undefined) {
    const names = libraryNames(library);
    found = names !== '' && new RegExp(`^[ \\t]*(?:import|from)[ \\t]+(?:${names})\\b`, 'm').test(text);
    scanned.imports.set(library, found);
  }
  return found;
}

/**
 * The names a doctest prompt binds by importing one of `names` (`mx` for `>>> import mlx.core as mx`; `Tensor` and
 * `ops` for `>>> from mindspore import Tensor, ops`, every name of the list, docs/detection.md 3.362).
 */
function promptBindings(text: string, names: string): Set<string> {
  const bound = new Set<string>();
  const prompt = new RegExp(
    `^[ \\t]*>>>[ \\t]+(?:import[ \\t]+((?:${names})\\b[\\w.]*)(?:[ \\t]+as[ \\t]+(\\w+))?|from[ \\t]+(?:${names})\\b[\\w.]*[ \\t]+import[ \\t]+\\(?([\\w \\t,]+))`,
    'gm',
  );
  for (const m of text.matchAll(prompt)) {
    if (m[1]) bound.add(m[2] ?? m[1].split('.')[0]);
    else if (m[3])
      for (const item of m[3].split(',')) {
        const parts = item.trim().split(/[ \t]+/);
        const name = parts.length === 3 && parts[1] === 'as' ? parts[2] : parts[0];
        if (/^[A-Za-z_]\w*$/.test(name)) bound.add(name);
      }
  }
  return bound;
}

let bodies = { text: '', at: new Map<number, string>() };

/**
 * The definition whose header is on `line`, up to the next line at column 0, without its triple-quoted strings;
 * once per definition (each search for a quote starts where the last one ended: linear).
 */
function definitionCode(text: string, line: number): string {
  if (bodies.text !== text) bodies = { text, at: new Map() };
  const known = bodies.at.get(line);
  if (known !== undefined) return known;
  lineNumber(text, 0);
  const start = line <= 1 ? 0 : breaks.at[line - 2] + 1;
  const next = /\n(?=[^\s#)\]])/g;
  next.lastIndex = start + 1;
  const end = next.exec(text)?.index ?? text.length;
  let out = '';
  let d = text.indexOf('"""', start);
  let q = text.indexOf("'''", start);
  for (let i = start; i < end;) {
    if (d >= 0 && d < i) d = text.indexOf('"""', i);
    if (q >= 0 && q < i) q = text.indexOf("'''", i);
    const open = d < 0 || d >= end ? q : q < 0 || q >= end ? d : Math.min(d, q);
    if (open < 0 || open >= end) {
      out += text.slice(i, end);
      break;
    }
    out += text.slice(i, open);
    const close = text.indexOf(text.slice(open, open + 3), open + 3);
    if (close < 0 || close >= end) break;
    i = close + 3;
  }
  bodies.at.set(line, out);
  return out;
}

/**
 * A doctest that imports the library at its prompt (`>>> import mlx.nn as nn`, `>>> import optax`) in a definition
 * whose own code computes with what that import binds (`mx.logsumexp(…)`): the module is the library's (or wraps it),
 * so the example runs the library's function (docs/detection.md 3.266). A definition that does not use the library
 * (a TensorFlow-compatible layer of another library, 3.75) keeps its example without a number even then.
 */
function doctestRunsLibrary(text: string, line: number, library: string): boolean {
  const names = libraryNames(library);
  if (names === '') return false;
  const bound = promptBindings(text, names);
  if (bound.size === 0) return false;
  const code = definitionCode(text, line);
  return [...bound].some((n) => new RegExp(`\\b${n}[ \\t]*[.(]`).test(code));
}

/**
 * A definition excerpted without its code (only the header and the docstring are left, as pages that copy a library's
 * API docs show it) whose doctest imports the library's top module at a prompt (`>>> import oneflow as flow`,
 * `>>> import paddle`) and spells the loss through it by its full path (`flow.nn.NLLLoss(…)`,
 * `paddle.nn.loss.NLLLoss()`): the example names the library itself and nothing in the excerpt says otherwise
 * (docs/detection.md 3.400). A name bound to a submodule (`>>> import oneflow.nn as nn`, `>>> from paddle import nn`,
 * `F.`), or a definition with code that does not use the import (a compatible layer, 3.75, 3.266), keeps the guard.
 */
function qualifiedExampleOfCutDefinition(text: string, line: number, library: string, name: string): boolean {
  const key = `${line}:${library}:${name}`;
  if (cut.text !== text) cut = { text, at: new Map() };
  let found = cut.at.get(key);
  if (found === undefined) {
    found = withoutCode(definitionCode(text, line)) && qualifiedPromptCall(definitionText(text, line), library, name);
    cut.at.set(key, found);
  }
  return found;
}

let cut = { text: '', at: new Map<string, boolean>() };

/** Nothing but comments after the header (the first line that ends with `:`, a comment left out). */
function withoutCode(code: string): boolean {
  const lines = code.split('\n');
  let i = 0;
  for (; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    if ((hash < 0 ? lines[i] : lines[i].slice(0, hash)).trimEnd().endsWith(':')) break;
  }
  if (i === lines.length) return false;
  return lines.slice(i + 1).every((l) => {
    const t = l.trimStart();
    // A docstring's prefix (`r"""`) is left behind when its string is taken out.
    return /^[rRbBuUfF]{0,2}$/.test(t) || t.startsWith('#');
  });
}

/** A prompt imports the library's top module and a call spells `name` through it by a path (`flow.nn.NLLLoss(`). */
function qualifiedPromptCall(definition: string, library: string, name: string): boolean {
  const names = libraryNames(library);
  if (names === '') return false;
  const roots = new Set<string>();
  const prompt = new RegExp(`^[ \\t]*>>>[ \\t]+import[ \\t]+(${names})(?:[ \\t]+as[ \\t]+(\\w+))?[ \\t\\r]*$`, 'gm');
  for (const m of definition.matchAll(prompt)) roots.add(m[2] ?? m[1]);
  return [...roots].some((root) => new RegExp(`(?<![\\w.])${root}(?:\\.\\w+)*\\.${name}[ \\t]*\\(`).test(definition));
}

/** The definition whose header is on `line`, up to the next line at column 0, strings and all. */
function definitionText(text: string, line: number): string {
  lineNumber(text, 0);
  const start = line <= 1 ? 0 : breaks.at[line - 2] + 1;
  const next = /\n(?=[^\s#)\]])/g;
  next.lastIndex = start + 1;
  return text.slice(start, next.exec(text)?.index ?? text.length);
}

/**
 * Why a pair recognised as `recogniser` at `offset` has no number, when the call sits in the
 * docstring of the module's own definition of that name (`def categorical_crossentropy` for
 * `keras.losses.categorical_crossentropy`) and the document does not import the library that
 * priced it (`library`, else the recogniser's first name); undefined otherwise.
 */
export function ownDefinitionReason(
  text: string,
  offset: number,
  recogniser: string,
  library: string | undefined,
): string | undefined {
  const name = recogniser.slice(recogniser.lastIndexOf('.') + 1);
  // Cheap first: most files define no loss of their own (the names found once per document).
  if (!definedNames(text).has(name)) return undefined;
  const owner = docstringOwner(text, offset);
  if (!owner || owner.name !== name) return undefined;
  // The library's own module documenting its own definition (OneFlow's or torch's loss.py) keeps its number.
  const lib = library ?? recogniser.slice(0, recogniser.indexOf('.'));
  if (importsLibrary(text, lib) || doctestRunsLibrary(text, owner.line, lib)) return undefined;
  if (qualifiedExampleOfCutDefinition(text, owner.line, lib, name)) return undefined;
  return `this example is in the docstring of this file's own \`${owner.name}\` (line ${owner.line}), so it shows that definition and not the library's, whose rule it need not follow`;
}
