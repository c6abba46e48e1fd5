/**
 * Commented-out code is not printed output: `#cross_entropy(np.array([0.1, 0.7]), np.array([0.2, 0.8]))`
 * under a call is a line someone switched off, and the numbers in its arrays claim nothing about
 * the call above (fresh8 003 read `0.1` of such a line as a wrong printed value). A comment body is
 * code when it is one call, or one assignment of a call, whose callee is not a spelling a library
 * prints a value with (`tensor(…)`, `array(…)`, `np.float64(…)`, `tf.Tensor(…)`), and which is
 * an assignment, or calls a dotted name (`np.array(…)`: printed values are never spelled with a
 * module), or passes a name or another call (a printed value holds numbers, lists and `key=value`
 * options only).
 */

/** Callees of printed values: torch, numpy (1 and 2), TensorFlow, JAX, MLX, paddle, micrograd. */
const printedCallees = new Set([
  'tensor',
  'Tensor',
  'array',
  'Array',
  'DeviceArray',
  'tf.Tensor',
  'Value',
  'np.float16',
  'np.float32',
  'np.float64',
  'np.int32',
  'np.int64',
  'float32',
  'float64',
]);

function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

const identStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const identPart = (c: number): boolean => identStart(c) || (c >= 48 && c <= 57);

/** The end of a dotted name starting at `i` (`np.array`), or -1 when none starts there. */
function dottedName(s: string, i: number): number {
  if (!identStart(s.charCodeAt(i))) return -1;
  let k = i;
  for (;;) {
    while (k < s.length && identPart(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) !== 46 /* . */ || !identStart(s.charCodeAt(k + 1))) return k;
    k++;
  }
}

/**
 * Is the comment body `body` (its `#` or `//` included or not) one line of code: a call, or
 * `name = call`, filling the whole body, with a callee that is no printed form and arguments that
 * name something or call something?
 */
export function isCommentedOutCode(body: string): boolean {
  let i = 0;
  while (i < body.length && (body[i] === '#' || body[i] === '/')) i++;
  i = skipSpaces(body, i);
  let end = dottedName(body, i);
  if (end < 0) return false;
  let j = skipSpaces(body, end);
  // `name = call(…)`: the assignment of a call.
  const assigned = body[j] === '=' && body[j + 1] !== '=';
  if (assigned) {
    i = skipSpaces(body, j + 1);
    end = dottedName(body, i);
    if (end < 0) return false;
    j = skipSpaces(body, end);
  }
  const callee = body.slice(i, end);
  if (body[j] !== '(' || printedCallees.has(callee)) return false;
  // The arguments up to the matching parenthesis, which must end the body.
  let depth = 0;
  let code = assigned || callee.includes('.');
  let k = j;
  for (; k < body.length; k++) {
    const c = body.charCodeAt(k);
    if (c === 40 /* ( */ || c === 91 /* [ */ || c === 123 /* { */) depth++;
    else if (c === 41 /* ) */ || c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth === 0) break;
    } else if (identStart(c) && !identPart(body.charCodeAt(k - 1)) && body.charCodeAt(k - 1) !== 46) {
      // A name: an argument (`x`), a call (`np.array(`), not an option's key (`dim=1`) nor a
      // number's exponent (`1e-7`, whose `e` follows a digit and so is no name start).
      const e = dottedName(body, k);
      const after = skipSpaces(body, e);
      const isKey = body[after] === '=' && body[after + 1] !== '=';
      if (!isKey && !['True', 'False', 'None', 'nan', 'inf'].includes(body.slice(k, e))) code = true;
      k = e - 1;
    }
  }
  return code && depth === 0 && k < body.length && body.slice(k + 1).trim() === '';
}
