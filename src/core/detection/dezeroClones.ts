/**
 * DeZero copied under another package's name (docs/detection.md 3.296). Readers of "Deep Learning from
 * Scratch 3" rebuild its framework as their own package (`pypznn1.deeplearning`, `rezero`, `mynn`) and
 * copy its tests with it: `from P import Variable`, `import P.functions as F` and DeZero's own test
 * helpers, `from P.utils import gradient_check, array_allclose`. Those helpers name no other library's
 * module, so a file importing them from `P.utils` reads `P.` as DeZero's layout (`P.functions.X` is
 * `dezero.functions.X`), as the packages named after it are (recognisers/paths.ts). Without them a
 * package's name says nothing of what it computes, and its calls stay unknown.
 */

/** Real libraries whose `utils` are not DeZero's, whatever a file imports from them. */
const libraries = new Set(['torch', 'tensorflow', 'tf', 'keras', 'chainer', 'numpy', 'np', 'jax', 'mxnet', 'dezero']);

/** `from P.utils import …gradient_check…` or `…array_allclose…` at a line's start (one regex pass). */
const helpersImport =
  /^[ \t]*from[ \t]+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.utils[ \t]+import[ \t(]+[^\n]*?\b(?:gradient_check|array_allclose)\b/m;

/** The last text read and its answer: every import line of one file asks about the same text. */
let last: { text: string; pkg: string | null } | null = null;

/** The package a text imports DeZero's test helpers from; null when none. */
export function dezeroClonePackage(text: string): string | null {
  if (last?.text === text) return last.pkg;
  const m = helpersImport.exec(text);
  const pkg = m && !libraries.has(m[1].split('.')[0]) ? m[1] : null;
  last = { text, pkg };
  return pkg;
}

/** `P.functions.softmax_cross_entropy` → `dezero.functions.softmax_cross_entropy` when `P` is the clone. */
export function asDezero(path: string, pkg: string | null): string {
  if (pkg === null) return path;
  if (path === pkg) return 'dezero';
  return path.startsWith(pkg + '.') ? 'dezero' + path.slice(pkg.length) : path;
}
