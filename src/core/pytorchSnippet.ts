/**
 * Python source that reproduces a pair's loss in PyTorch ("Copy as PyTorch"): pure text from
 * numbers, shared by the editor's command and the panel's button.
 */
import type { DType, Reduction } from './types';

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
): string {
  const dt = p.dtype === 'float64' ? 'torch.float64' : 'torch.float32';
  const lit = (shape: number[], data: ArrayLike<number>, asInt: boolean) => nestedLiteral(shape, data, asInt);
  const opts: string[] = [];
  if (p.weight) opts.push(`weight=torch.tensor(${lit([p.weight.length], p.weight, false)}, dtype=${dt})`);
  if (p.ignoreIndex !== -100) opts.push(`ignore_index=${p.ignoreIndex}`);
  if (p.reduction !== 'mean') opts.push(`reduction='${p.reduction}'`);
  if (p.labelSmoothing && p.inputKind === 'logits') opts.push(`label_smoothing=${p.labelSmoothing}`);
  const loss = p.inputKind === 'log_probs' ? 'nn.NLLLoss' : 'nn.CrossEntropyLoss';
  return [
    'import torch',
    'import torch.nn as nn',
    '',
    `input = torch.tensor(${lit(input.shape, input.data, false)}, dtype=${dt})`,
    target.probabilities
      ? `target = torch.tensor(${lit(target.shape, target.data, false)}, dtype=${dt})`
      : `target = torch.tensor(${lit(target.shape, target.data, true)}, dtype=torch.long)`,
    `criterion = ${loss}(${opts.join(', ')})`,
    'loss = criterion(input, target)',
    'print(loss)',
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

function nestedLiteral(shape: number[], data: ArrayLike<number>, asInt: boolean): string {
  if (shape.length === 0) return pyNumber(data[0], asInt);
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim];
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
    const parts: string[] = [];
    for (let i = 0; i < n; i++)
      parts.push(dim === shape.length - 1 ? pyNumber(data[offset + i], asInt) : rec(dim + 1, offset + i * stride));
    return `[${parts.join(', ')}]`;
  };
  return rec(0, 0);
}
