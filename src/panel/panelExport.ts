/**
 * The panel's copy buttons in terms of the shared formatters (src/core/breakdownExport.ts): the
 * pair as the panel shows it, with the user's options, the selected sample and the panel's own
 * numbers. Pure, so tests check it without VS Code.
 */
import type { BreakdownExport } from '../core/breakdownExport';
import type { PairAnalysis } from '../core/detection';
import { formulaCopy } from '../core/libraryView';
import type { PairSummary, PanelOptions } from '../protocol/webview';
import { sampleFromWire, type PanelData, type WireSampleBreakdown } from '../protocol/worker';

/** What {@link panelExport} combines. */
export interface PanelExportInput {
  /** The document's file name. */
  file: string;
  /** The pair in the analysis (location, names, shapes). */
  pair: Pick<PairAnalysis, 'call' | 'logits' | 'target' | 'inputShape' | 'targetShape' | 'targetKind'> &
    Partial<Pick<PairAnalysis, 'recogniser' | 'formulaGuard'>>;
  /** The pair as the panel shows it: options in effect and the code's, the claim. */
  summary: PairSummary;
  /** The worker's reply the panel shows. */
  data: PanelData;
  /** The shown sample over all C classes (the reply carries only its shown columns). */
  breakdown: WireSampleBreakdown;
  /** The pair's values, when read (the snippet and the JSON need them). */
  values: { input: ArrayLike<number>; target: ArrayLike<number> } | null;
  decimals: number;
}

/**
 * Whether two option sets compute the same loss: 'both' works in float32 (and shows float64
 * beside it), so it computes what float32 does.
 */
export function sameLoss(a: PanelOptions, b: PanelOptions): boolean {
  const dtype = (o: PanelOptions) => (o.dtype === 'both' ? 'float32' : o.dtype);
  return (
    a.reduction === b.reduction &&
    dtype(a) === dtype(b) &&
    a.labelSmoothing === b.labelSmoothing &&
    a.ignoreIndex === b.ignoreIndex &&
    a.inputKind === b.inputKind &&
    a.hasWeight === b.hasWeight &&
    JSON.stringify(a.weight) === JSON.stringify(b.weight)
  );
}

function formulaOf(
  pair: Partial<Pick<PairAnalysis, 'recogniser' | 'formulaGuard'>>,
  inputKind: PanelOptions['inputKind'],
  codeOptions: boolean,
): NonNullable<BreakdownExport['formula']> | null {
  const f = formulaCopy({ recogniser: pair.recogniser, formulaGuard: pair.formulaGuard, options: { inputKind } });
  return f && { ...f, codeOptions };
}

/** The export of what the panel shows. */
export function panelExport(x: PanelExportInput): BreakdownExport {
  const { summary, data } = x;
  const result = data.result;
  const o = summary.options;
  const anchor = x.pair.call ?? x.pair.logits;
  let ignoredCount = 0;
  if (result.ignored) for (let e = 0; e < result.ignored.length; e++) ignoredCount += result.ignored[e] ? 1 : 0;
  return {
    source: { file: x.file, line: anchor.line, cell: anchor.cell ?? null },
    logitsName: summary.logitsName,
    targetName: summary.targetName,
    inputShape: result.inputShape,
    targetShape: x.pair.targetShape,
    targetKind: result.targetKind,
    options: {
      reduction: result.reduction,
      dtype: result.dtype,
      weight: o.weight,
      ignoreIndex: o.ignoreIndex,
      labelSmoothing: o.labelSmoothing,
      inputKind: o.inputKind,
    },
    C: result.C,
    // Plain lists only here, when a copy is asked for: the panel itself reads the transferred ones.
    sample: sampleFromWire(x.breakdown),
    classIndices: null,
    losses: result.losses,
    reduction: {
      reduction: result.reduction,
      numerator: result.numerator,
      denominator: result.denominator,
      loss: result.loss,
      count: result.losses.length,
      ignoredCount,
    },
    claim:
      summary.claimText === null
        ? null
        : {
            text: summary.claimText,
            holds: summary.claimOk,
            optionsDiffer: !sameLoss(summary.options, summary.codeOptions),
            codePrinted: summary.codePrinted ?? null,
          },
    data: x.values,
    decimals: x.decimals,
    // With the user's options the torch loss is no longer the library's call.
    origin: summary.origin?.torchSteps && sameLoss(o, summary.codeOptions) ? summary.origin.title : null,
    // A hand formula computed again by torch's loss (said so only with the code's options); its logs named as logs.
    formula: formulaOf(x.pair, summary.codeOptions.inputKind, sameLoss(o, summary.codeOptions)),
  };
}
