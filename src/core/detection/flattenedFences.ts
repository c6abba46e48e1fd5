/**
 * A code block a page flattened onto one line of prose, its fence glued to the code and its
 * line breaks gone (docs/detection.md 3.124): `* **… TensorFlow tensors** : ```pythontrue =
 * tf.constant([[1], [0], [2]])pred = tf.constant([…])b = f(y_pred=pred, y_true=true)  # 0.228b = …```.
 * Read only when the line ends with the closing fence and the opening one is followed by a
 * language name glued to code, and only where the statements' ends are certain: a closing
 * bracket followed at once by `name =` (`…])pred = …` is a SyntaxError read any other way), and a
 * comment that is one number or one list of numbers followed at once by `name =` (`# 0.228b = …`).
 * A line without such an end is one statement or prose, and is not read as code here.
 */

/** A block found on one line: its code's offsets, and where each statement but the last ends. */
export interface FlattenedBlock {
  start: number;
  end: number;
  /** Offsets where a statement ends inside the line (ascending). */
  breaks: number[];
}

/** Language names a fence may carry, longest first so `python3x = 1` reads as `python3` + code. */
const languages = ['python3', 'python', 'py3', 'py'];
/** A name assigned to, right at the offset: `pred = `, not `pred == `. */
const assignedName = /^[A-Za-z_]\w*\s*=(?!=)/;
/** The same, read at an offset (sticky): no copy of the rest of the line per bracket. */
const assignedNameAt = /[A-Za-z_]\w*\s*=(?!=)/y;
/** A comment that is one number or one list of numbers, glued to `name =`, read at an offset. */
const gluedComment =
  /#\s*(?:-?\d+\.\d+(?:[eE][-+]?\d+)?|\[\s*-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)*\s*\])(?=[A-Za-z_]\w*\s*=(?!=))/y;
/** Lines longer than this are not searched. */
const maxLine = 8000;

/** The flattened blocks of the lines of `text` not already in a block (`taken`). */
export function flattenedFences(
  text: string,
  lines: { start: number; end: number }[],
  taken: Uint8Array,
): FlattenedBlock[] {
  const out: FlattenedBlock[] = [];
  if (!text.includes('```')) return out;
  for (let k = 0; k < lines.length; k++) {
    const { start, end } = lines[k];
    if (taken[k] || end - start > maxLine) continue;
    const line = text.slice(start, end);
    const open = line.indexOf('```');
    if (open < 0) continue;
    const trimmed = line.trimEnd();
    if (!trimmed.endsWith('```') || trimmed.length - 3 <= open + 3) continue;
    const info = line.slice(open + 3);
    const lang = languages.find((l) => info.startsWith(l) && assignedName.test(info.slice(l.length)));
    if (!lang) continue;
    const from = open + 3 + lang.length;
    const to = trimmed.length - 3;
    const code = line.slice(from, to);
    if (code.includes('`')) continue;
    const breaks = statementEnds(code).map((b) => start + from + b);
    if (breaks.length) out.push({ start: start + from, end: start + to, breaks });
  }
  return out;
}

/** Offsets in `code` where one statement ends and the next (`name = …`) begins. */
function statementEnds(code: string): number[] {
  const ends: number[] = [];
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'") {
      const close = code.indexOf(c, i + 1);
      if (close < 0) return [];
      i = close;
      continue;
    }
    if (c === '#') {
      gluedComment.lastIndex = i;
      const m = gluedComment.exec(code);
      if (!m) return ends;
      ends.push(i + m[0].length);
      i += m[0].length - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) return [];
      assignedNameAt.lastIndex = i + 1;
      if (depth === 0 && assignedNameAt.test(code)) ends.push(i + 1);
    }
  }
  return ends;
}
