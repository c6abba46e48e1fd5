/**
 * Python source that reproduces a pair's loss in PyTorch ("Copy as PyTorch"): pure text from
 * numbers, shared by the editor's command and the panel's button (through ./breakdownExport).
 * It uses the code's own variable names where they are Python names, and ends with what torch
 * prints, so that running it is a check of the number.
 */
import { shortestFloat32 } from './format';
import type { DType, Reduction } from './types';

/** Names the snippet itself binds, which a variable of the code must not shadow. */
const taken = new Set(['torch', 'nn', 'criterion', 'loss', 'print']);

const pythonKeywords = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

/** `name` when it is a plain Python name the snippet may bind, else `fallback`. */
function pythonName(name: string | null | undefined, fallback: string, avoid: string | null = null): string {
  const ok = (n: string) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !pythonKeywords.has(n) && !taken.has(n) && n !== avoid;
  if (name && ok(name)) return name;
  if (ok(fallback)) return fallback;
  return `${fallback}_`;
}

/** Extras that make the snippet read like the code it came from. */
export interface SnippetNames {
  /** The logits' variable in the code (`output`); a non-Python name falls back to `logits`. */
  logitsName?: string | null;
  /** The target's variable in the code; a non-Python name falls back to `target`. */
  targetName?: string | null;
  /** What torch prints for the loss (`tensor(2.3519)`): written as a comment after `print(loss)`. */
  printed?: string | null;
  /** Another library's call this snippet gives the number of: named in a comment at the top. */
  origin?: string | null;
  /**
   * A hand formula the snippet computes again with torch's loss (`−log p[y]`), and whether its input
   * holds the logs the formula takes of the code's values (then named `log_<name>`, never the
   * code's own name for its probabilities). `codeOptions` false: the panel's options differ from
   * the code's, so the snippet is not the formula's number.
   */
  formula?: { words: string; logged: boolean; codeOptions?: boolean } | null;
}

/** A PyTorch snippet that reproduces the pair's loss. */
export function pytorchSnippet(
  input: { shape: number[]; data: ArrayLike<number> },
  target: { shape: number[]; data: ArrayLike<number>; probabilities: boolean },
  p: {
    dtype: DType;
    reduction: Reduction;
    weight: number[] | null;
    ignoreIndex: number;
    labelSmoothing: number;
    inputKind: 'logits' | 'log_probs';
  },
  names: SnippetNames = {},
): string {
  const dt = p.dtype === 'float64' ? 'torch.float64' : 'torch.float32';
  const float = (v: number) => pyNumber(p.dtype === 'float32' ? shortestFloat32(v) : v, false);
  const lit = (shape: number[], data: ArrayLike<number>, asInt: boolean) =>
    nestedLiteral(shape, data, asInt ? (v) => pyNumber(v, true) : float);
  const formula = names.formula ?? null;
  const codeName = names.logitsName && /^[A-Za-z_]\w*$/.test(names.logitsName) ? names.logitsName : null;
  // The logs of the code's p are not p: `log_p`, so that the copy never calls log-probabilities by p's name.
  const inputName = formula?.logged ? (codeName ? `log_${codeName}` : 'log_probs') : names.logitsName;
  const x = pythonName(inputName, p.inputKind === 'log_probs' ? 'log_probs' : 'logits');
  const y = pythonName(names.targetName, 'target', x);
  const opts: string[] = [];
  if (p.weight) opts.push(`weight=torch.tensor(${lit([p.weight.length], p.weight, false)}, dtype=${dt})`);
  if (p.ignoreIndex !== -100) opts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.reduction !== 'mean') opts.push(`reduction='${p.reduction}'`);
  if (p.labelSmoothing && p.inputKind === 'logits') opts.push(`label_smoothing=${p.labelSmoothing}`);
  const loss = p.inputKind === 'log_probs' ? 'nn.NLLLoss' : 'nn.CrossEntropyLoss';
  const printed = names.printed ? names.printed.split('\n') : [];
  // A comment cannot span lines: a title with a line break is cut at it.
  const origin = names.origin ? names.origin.split(/\r?\n|\r/)[0] : null;
  const about = formula
    ? [
        ...(formula.codeOptions === false
          ? []
          : [
              `# The hand formula ${formula.words}, computed again with torch's ${loss.slice(3)}: the same number up to rounding`,
            ]),
        ...(formula.logged
          ? [
              `# ${x} holds the logs the formula takes${codeName ? ` of ${codeName}` : ''}, as it computes them (with any epsilon it adds)`,
            ]
          : []),
      ]
    : origin
      ? [`# The same number as ${origin}, written with torch`]
      : [];
  return [
    ...about,
    'import torch',
    'import torch.nn as nn',
    '',
    `${x} = torch.tensor(${lit(input.shape, input.data, false)}, dtype=${dt})`,
    target.probabilities
      ? `${y} = torch.tensor(${lit(target.shape, target.data, false)}, dtype=${dt})`
      : `${y} = torch.tensor(${lit(target.shape, target.data, true)}, dtype=torch.long)`,
    `criterion = ${loss}(${opts.join(', ')})`,
    `loss = criterion(${x}, ${y})`,
    printed.length === 1 ? `print(loss)  # ${printed[0]}` : 'print(loss)',
    ...(printed.length > 1 ? printed.map((line) => `# ${line}`) : []),
    '',
  ].join('\n');
}

function pyNumber(v: number, asInt: boolean): string {
  if (v !== v) return "float('nan')";
  if (v === Infinity) return "float('inf')";
  if (v === -Infinity) return "float('-inf')";
  if (asInt) return String(v);
  return Number.isInteger(v) ? `${v}.` : String(v);
}

function nestedLiteral(shape: number[], data: ArrayLike<number>, leaf: (v: number) => string): string {
  if (shape.length === 0) return leaf(data[0]!);
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim]!;
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++)
      parts.push(dim === shape.length - 1 ? leaf(data[offset + i]!) : rec(dim + 1, offset + i * stride));
    return `[${parts.join(', ')}]`;
  };
  return rec(0, 0);
}
