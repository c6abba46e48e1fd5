/**
 * Comparing the panel's option sets: the code's and the user's (the controls' reset button, the
 * "with your options" marks and the list of what the user changed).
 */
import type { PanelOptions } from '../src/protocol/webview';

/** Whether two option sets compute the same loss ('both' works in float32). */
export function sameLoss(a: PanelOptions, b: PanelOptions): boolean {
  const dtype = (o: PanelOptions) => (o.dtype === 'both' ? 'float32' : o.dtype);
  return sameOptions({ ...a, dtype: dtype(a) }, { ...b, dtype: dtype(b) });
}

/** The options that differ from the code's, as Python keywords: `reduction='sum'`. */
export function changedOptions(o: PanelOptions, code: PanelOptions): string[] {
  const out: string[] = [];
  if (o.reduction !== code.reduction) out.push(`reduction='${o.reduction}'`);
  if ((o.dtype === 'both' ? 'float32' : o.dtype) !== code.dtype) out.push(`dtype=${o.dtype}`);
  if (o.labelSmoothing !== code.labelSmoothing) out.push(`label_smoothing=${o.labelSmoothing}`);
  if (o.ignoreIndex !== code.ignoreIndex) out.push(`ignore_index=${o.ignoreIndex}`);
  if (o.hasWeight !== code.hasWeight || JSON.stringify(o.weight) !== JSON.stringify(code.weight))
    out.push(o.weight ? 'weight=[…]' : 'weight=None');
  if (o.inputKind !== code.inputKind) out.push(o.inputKind === 'log_probs' ? 'NLLLoss' : 'CrossEntropyLoss');
  return out;
}

/** Whether two option sets are the same, field by field. */
export function sameOptions(a: PanelOptions, b: PanelOptions): boolean {
  return (
    a.reduction === b.reduction &&
    a.dtype === b.dtype &&
    a.labelSmoothing === b.labelSmoothing &&
    a.ignoreIndex === b.ignoreIndex &&
    a.inputKind === b.inputKind &&
    a.hasWeight === b.hasWeight &&
    JSON.stringify(a.weight) === JSON.stringify(b.weight)
  );
}
