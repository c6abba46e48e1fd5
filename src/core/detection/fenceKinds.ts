/**
 * What the lines of a fenced block read as when its fence names no language: a program (imports,
 * definitions, prints, assignments) or printed output (reprs, logs). Used by the Markdown reader.
 */
/** What a fenced block holds, by its info string or (without one) by its lines. */
export type BlockLanguage = 'python' | 'js' | 'json' | 'output' | 'other';

/** Lines that only a program has: imports, definitions, prints, assignments of a value. */
export const pythonLine =
  /^(?:import [\w.]+|from [\w.]+ import |def \w+\(|class \w+|print\(|[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=\s*[^\s=])/;
export const jsLine = /^(?:(?:const|let|var) [\w${}\[\], ]+=|import .* from |console\.log\(|await |function \w+\()/;
/** An info string that is a line of code: an assignment, an import, a call (never a language name). */
export const codeOnFence =
  /^(?:import [\w.]+|from [\w.]+ import |[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=\s*\S|[A-Za-z_][\w.]*\s*\(|(?:const|let|var) )/;
/**
 * A line a self-documenting f-string printed (`print(f"{loss=}")` writes `loss=tensor(0.4921)`): a
 * 0-d tensor's or a size's repr after `name=`, or a number after a label no code can assign to
 * (`loss.item()=0.4921`). Not `x=tensor([…])` or `lr=0.01`, which code writes.
 */
const documentedLine =
  /^[A-Za-z_][\w.]*(?:(?:\([^()]*\)|\[[^\]]*\])[\w.]*)*\s*=\s*(?:tensor\((?:-?\d|nan|inf)|torch\.Size\()|^[A-Za-z_][\w.]*(?:\[[^\]]*\])*\([^()]*\)[\w.]*\s*=\s*-?\d+\.\d+$/;
/** Lines of printed output (reprs, `name: value` logs): a block holding one is output. */
const outputLine = /^(?:tensor\(|array\(|tf\.Tensor\(|<tf\.Tensor|Tensor\(|Out\[|\[\[|\[-?\d|-?\d|[\w ]+:\s)/;

/**
 * A fence without a language: code when its lines read as a program (an import, a definition, a
 * print, an assignment) and none reads as printed output; output otherwise, as before.
 */
export function bareLanguage(content: string): BlockLanguage {
  const kind = contentKind(content);
  return kind === 'unknown' ? 'output' : kind;
}

/** Every line of the block reads as a printed value, none as code. */
export function onlyOutput(content: string): boolean {
  for (const raw of content.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line !== '' && (jsLine.test(line) || pythonLine.test(line) || !outputLine.test(line))) return false;
  }
  return content.trim() !== '';
}

/** What a block's lines read as; `unknown` when no line says (neither code nor a printed value). */
export function contentKind(content: string): 'python' | 'js' | 'output' | 'unknown' {
  let python = 0;
  let js = 0;
  let output = 0;
  // Brackets a line of code left open: the rows of a literal written over several lines
  // (`input = torch.tensor([` / `    [-100.,  100.],`) belong to that statement, not to output.
  let open = 0;
  for (const raw of content.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (open > 0) {
      open = bracketBalance(line, open);
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    if (jsLine.test(line)) js++;
    else if (documentedLine.test(line)) output++;
    else if (pythonLine.test(line)) python++;
    else if (outputLine.test(line)) output++;
    else continue;
    if (pythonLine.test(line) || jsLine.test(line)) open = bracketBalance(line, 0);
  }
  // Code and printed values mixed (a session pasted without prompts) stay output, as before.
  if (output > 0) return 'output';
  if (js > 0 && python === 0) return 'js';
  if (python > 0 && js === 0) return 'python';
  return python + js > 0 ? 'output' : 'unknown';
}

/**
 * The brackets still open after `line`, starting from `depth` (quoted text and a `#` comment are
 * skipped); never below 0, and capped so that a hostile block cannot hide a long tail of output.
 */
function bracketBalance(line: string, depth: number): number {
  let quote = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 35) break;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return Math.min(depth, 64);
}

/** `name = 0.6931`: a line an assignment or a labelled print may be. */
const valueAssignment = /^([A-Za-z_]\w*)\s*=\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Every line of a block is `name = number` and each name is a label a string of the code above writes
 * right before a replacement field (`'loss_big = {}\n'`, `f"loss = {loss}"`): the lines are what that
 * code printed, not assignments (docs/detection.md 3.146). A name the code only assigns is no label.
 */
export function printedAssignments(code: string, content: string): boolean {
  let lines = 0;
  for (const raw of content.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const m = valueAssignment.exec(line);
    if (!m || lines >= 64) return false;
    // The label inside a string: after a quote or a written `\n`, then the field's `{`.
    const at = new RegExp(`(?:["']|\\\\n)[ \\t]*${m[1]}[ \\t]*=[ \\t]*\\{`);
    if (!at.test(code)) return false;
    lines++;
  }
  return lines > 0;
}

/** A prompt followed by a printed value (`>>> tensor(0.4516)`), not by code, at each line's start. */
export const promptedValues = /^>>>(?=[ \t]*(?:(?:tensor|tf\.Tensor|array|Array)\(|-?\d*\.\d))/gm;

/**
 * Code whose `>>> ` lines all show a value (`loss = …` then `>>> tensor(0.4516)`), its first line no prompt,
 * as forum posts mark what a line gave: no console session (docs/detection.md 3.306); each such line is
 * read as the comment `# tensor(0.4516)` under the statement above it.
 */
export function valuePrompt(content: string): boolean {
  if (content.trimStart().startsWith('>>>') || content.length > 20000) return false;
  const prompts = content.match(/^[ \t]*>>>.*$/gm) ?? [];
  return prompts.length > 0 && prompts.length === (content.match(promptedValues) ?? []).length;
}

const pythonInfos = new Set([
  'python',
  'py',
  'python3',
  'py3',
  'ipython',
  'ipython3',
  'pycon',
  'pytorch',
  'jupyter',
  'sage',
]);
const jsInfos = new Set(['js', 'javascript', 'jsx', 'ts', 'typescript', 'tsx', 'mjs', 'cjs', 'node', 'mts']);
const jsonInfos = new Set(['json', 'jsonc', 'json5']);
const outputInfos = new Set([
  '',
  'text',
  'txt',
  'output',
  'out',
  'console',
  'plaintext',
  'plain',
  'stdout',
  'result',
  'none',
  'log',
  'shell-session',
]);

/** What a fence's info string names: Python, JavaScript, JSON, output, or something else. */
export function infoLanguage(info: string): BlockLanguage {
  const word = info
    .trim()
    .replace(/^\{?\.?/, '')
    .split(/[\s{},=]/)[0]
    .toLowerCase();
  if (pythonInfos.has(word)) return 'python';
  if (jsInfos.has(word)) return 'js';
  if (jsonInfos.has(word)) return 'json';
  if (outputInfos.has(word)) return 'output';
  return 'other';
}
