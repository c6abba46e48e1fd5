/**
 * Detection in the worker: `analyze` finds and computes every pair of a document, `inspect`
 * explains one sample of one pair for a hover or the panel. The last analysis per document key
 * is kept (with the text, so a hover's offset can be mapped to a row without the host scanning
 * a 10 MB literal). No Node imports: a browser Web Worker can host it too.
 */
import { analyzeNotebook, analyzeText } from '../core/analysis';
import { KernelError } from '../core/errors';
import { indexPathAt, topLevelStarts } from '../core/detection/rowAt';
import type { ArraySite, DocumentAnalysis, NotebookCellInput, PairAnalysis } from '../core/detection/types';
import {
  computeLoss,
  crossEntropySteps,
  gradient,
  reductionBreakdown,
  sampleBreakdown,
  topKClasses,
  type LossResult,
  type Prepared,
} from '../core/kernel';
import type { ErrorInfo, LossRequest } from '../core/types';
// A pure builder with no editor imports: the heat map is binned here so only ≤ 256×512 cells cross.
import { buildHeatMap } from '../panel/panelState';
import { lossPayload } from './payload';
import type {
  AnalyzeRequest,
  InspectReply,
  InspectRequest,
  PanelDataReply,
  PanelDataRequest,
  SampleBreakdownPayload,
  TargetSummary,
} from '../protocol/worker';

/** A pair as detection returns it in-process: with the exact request it computed. */
type PairWithRequest = PairAnalysis & { request?: LossRequest };

interface Entry {
  version: number;
  analysis: DocumentAnalysis;
  text?: string;
  cells?: NotebookCellInput[];
  language: string;
  computed: Map<number, { prepared: Prepared; result: LossResult }>;
  /** Per logits literal (site id): where each top-level element starts, built on the first hover. */
  rowStarts?: Map<number, Int32Array>;
  /** The panel's last computation: options key → results. */
  panel?: {
    optionsKey: string;
    main: { prepared: Prepared; result: LossResult };
    other: { prepared: Prepared; result: LossResult } | null;
    heatMap: PanelDataReply['heatMap'];
  };
}

/** Analyses under keys with this prefix are one-shot: not kept for later inspection. */
export const transientKeyPrefix = 'transient:';

export class AnalysisService {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 8) {}

  /**
   * Analyses a document; returns the analysis without the arrays' data (it stays here). Keys that
   * start with {@link transientKeyPrefix} (Check All Claims, Inspect Selection) are answered and
   * not kept: a workspace check must not evict the open documents' analyses that hovers inspect.
   */
  analyze(message: AnalyzeRequest): DocumentAnalysis {
    const opts = {
      languageId: message.languageId,
      fileName: message.fileName,
      dtypeOverride: message.dtypeOverride,
      maxElements: message.maxElements,
    };
    let text = message.text;
    if (message.edits) {
      const base = this.entries.get(message.key);
      if (!base || base.version !== message.baseVersion || base.text === undefined) {
        throw new KernelError(
          'invalid_request',
          `The worker does not hold version ${message.baseVersion} of this document; send the full text.`,
        );
      }
      text = base.text;
      for (const e of message.edits) text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
    }
    const analysis = message.cells ? analyzeNotebook(message.cells, opts) : analyzeText(text ?? '', opts);
    if (message.key.startsWith(transientKeyPrefix)) return wireAnalysis(analysis);
    this.entries.delete(message.key);
    this.entries.set(message.key, {
      version: message.version,
      analysis,
      text,
      cells: message.cells,
      language: analysis.language,
      computed: new Map(),
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return wireAnalysis(analysis);
  }

  /** The breakdown behind a hover or the panel. Throws ErrorInfo-shaped errors as values via the caller. */
  inspect(message: InspectRequest): Omit<InspectReply, 'type' | 'req'> | { error: ErrorInfo } {
    const entry = this.entries.get(message.key);
    if (!entry || entry.version !== message.version) {
      return {
        error: {
          code: 'invalid_request',
          message: `The analysis of version ${message.version} is no longer available; analyse again.`,
        },
      };
    }
    const pair = entry.analysis.pairs.find((p) => p.id === message.pairId) as PairWithRequest | undefined;
    if (!pair) return { error: { code: 'invalid_request', message: `No pair ${message.pairId} in this document.` } };
    if (pair.error) return { error: pair.error };
    let computed = entry.computed.get(pair.id);
    if (!computed) {
      if (!pair.request) return { error: { code: 'internal', message: 'The pair has no request to inspect.' } };
      const outcome = computeLoss(pair.request);
      if (!outcome.ok) return { error: outcome.error };
      computed = { prepared: outcome.prepared, result: outcome.result };
      entry.computed.set(pair.id, computed);
    }
    const { prepared, result } = computed;
    const count = prepared.N * prepared.S;
    let element = message.element ?? 0;
    if (message.element === undefined && message.offset !== undefined) {
      element = this.elementAt(entry, pair, prepared, message.offset) ?? 0;
    }
    if (!(element >= 0 && element < count)) {
      return {
        error: {
          code: 'invalid_request',
          message: `Sample ${element} is out of range: the pair has ${count} samples.`,
        },
      };
    }
    const full = sampleBreakdown(prepared, result, element);
    const keep = message.topK ? topKClasses(full.softmax, full.target, message.topK) : null;
    const sample = keep && keep.length < prepared.C ? trimSample(full, keep) : full;
    const reply: Omit<InspectReply, 'type' | 'req'> = {
      pairId: pair.id,
      sample,
      classIndices: keep && keep.length < prepared.C ? keep : null,
      C: prepared.C,
      count,
      reduction: reductionBreakdown(prepared, result),
    };
    if (message.targetLimit) {
      const targets: TargetSummary[] = [];
      for (let e = 0; e < Math.min(count, message.targetLimit); e++) {
        const b = e === element ? full : sampleBreakdown(prepared, result, e);
        const t = b.target;
        targets.push({
          sample: e,
          target: t,
          pTarget: t === null ? NaN : b.softmax[t],
          nll: b.loss,
          ignored: b.ignored,
        });
      }
      reply.targets = targets;
    }
    if (message.withData && pair.request) {
      const r = pair.request;
      reply.data = {
        input: Array.from(r.input.data),
        inputShape: r.input.shape,
        target: Array.from(r.target.data),
        targetShape: r.target.shape,
        weight: prepared.weight ? Array.from(prepared.weight) : null,
      };
    }
    return reply;
  }

  /** Everything the panel shows for one pair under the panel's options. */
  panelData(message: PanelDataRequest): Omit<PanelDataReply, 'type' | 'req'> | { error: ErrorInfo } {
    const entry = this.entries.get(message.key);
    if (!entry || entry.version !== message.version) {
      return {
        error: {
          code: 'invalid_request',
          message: `The analysis of version ${message.version} is no longer available; analyse again.`,
        },
      };
    }
    const pair = entry.analysis.pairs.find((p) => p.id === message.pairId) as PairWithRequest | undefined;
    if (!pair) return { error: { code: 'invalid_request', message: `No pair ${message.pairId} in this document.` } };
    if (!pair.request)
      return { error: pair.error ?? { code: 'internal', message: 'The pair has no request to compute.' } };
    const o = message.options;
    const optionsKey = `${message.pairId}|${JSON.stringify(o)}`;
    if (entry.panel?.optionsKey !== optionsKey) {
      const request: LossRequest = {
        ...pair.request,
        reduction: o.reduction,
        dtype: o.dtype,
        labelSmoothing: o.labelSmoothing,
        ignoreIndex: o.ignoreIndex,
        inputKind: o.inputKind,
        weight: o.weight ? { data: Float64Array.from(o.weight), shape: [o.weight.length], integral: false } : null,
      };
      // The gradient is computed per shown sample below, not for every logit of the batch.
      const main = computeLoss(request);
      if (!main.ok) return { error: main.error };
      const otherOutcome = computeLoss({ ...request, dtype: o.dtype === 'float32' ? 'float64' : 'float32' });
      const m = { prepared: main.prepared, result: main.result };
      let heatMap: PanelDataReply['heatMap'] = null;
      if (m.prepared.N * m.prepared.S > 1) {
        const steps = crossEntropySteps(m.prepared);
        heatMap = buildHeatMap(
          steps.softmax,
          m.prepared.N,
          m.prepared.C,
          m.prepared.S,
          m.result.losses,
          m.result.ignored,
        );
      }
      entry.panel = {
        optionsKey,
        main: m,
        other: otherOutcome.ok ? { prepared: otherOutcome.prepared, result: otherOutcome.result } : null,
        heatMap,
      };
    }
    const { main, other, heatMap } = entry.panel!;
    const count = main.prepared.N * main.prepared.S;
    const element = Math.min(Math.max(0, message.element), count - 1);
    return {
      result: lossPayload(main.prepared, main.result, message.pairId, 0, true),
      otherResult: other ? lossPayload(other.prepared, other.result, message.pairId, 0, true) : null,
      breakdown: sampleBreakdown(
        main.prepared,
        { ...main.result, grad: gradient(main.prepared, main.result, element) },
        element,
      ),
      heatMap,
    };
  }

  /** The flat sample index of the logits row that contains `offset`, when the literal is the pair's input as written. */
  private elementAt(entry: Entry, pair: PairAnalysis, p: Prepared, offset: number): number | null {
    const site: ArraySite | undefined = entry.analysis.arrays.find((a) => a.id === pair.logits.id);
    if (!site) return null;
    const text = site.cell !== undefined ? entry.cells?.[site.cell]?.source : entry.text;
    if (text === undefined || offset < site.literalStart || offset > site.literalEnd) return null;
    const lang =
      entry.language === 'python' ||
      entry.language === 'ipynb' ||
      entry.language === 'jupyter' ||
      entry.language === 'markdown'
        ? 'python'
        : entry.language === 'json'
          ? 'json'
          : 'js';
    if (site.shape.length <= 1) return 0;
    // A hover far down a (1000 × 1000) literal would walk 10 MB from its start on every hover: find
    // the row by binary search over the row starts (one walk, on the first hover), then walk only
    // inside that row.
    let starts = entry.rowStarts?.get(site.id);
    if (!starts) {
      starts = topLevelStarts(text, site.literalStart, site.literalEnd, lang);
      (entry.rowStarts ??= new Map()).set(site.id, starts);
    }
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || offset < starts[0]) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const path = [lo, ...indexPathAt(text, starts[lo], offset, lang)];
    const n = path[0];
    if (site.shape.length === 2 || p.S === 1) return Math.min(n, p.N - 1);
    // (N, C, d1, …): the spatial index is below the class index.
    let s = 0;
    for (let d = 2; d < site.shape.length; d++) s = s * site.shape[d] + (path[d] ?? 0);
    return Math.min(n * p.S + s, p.N * p.S - 1);
  }
}

/** The analysis without typed-array payloads: arrays keep their shapes and positions only. */
function wireAnalysis(a: DocumentAnalysis): DocumentAnalysis {
  return {
    ...a,
    arrays: a.arrays.map(({ data: _data, ...site }) => site),
    pairs: a.pairs.map((pair) => {
      const { request: _request, ...rest } = pair as PairWithRequest;
      return rest;
    }),
  };
}

function trimSample(b: SampleBreakdownPayload, keep: number[]): SampleBreakdownPayload {
  const pick = (arr: number[] | null | undefined) => (arr ? keep.map((c) => arr[c]) : arr);
  return {
    ...b,
    logits: pick(b.logits) as number[],
    shifted: pick(b.shifted) as number[] | null,
    exp: pick(b.exp) as number[] | null,
    softmax: pick(b.softmax) as number[],
    logSoftmax: pick(b.logSoftmax) as number[],
    targetDistribution: pick(b.targetDistribution) as number[],
    weight: pick(b.weight) as number[],
    contributions: pick(b.contributions) as number[],
    grad: pick(b.grad) as number[] | undefined,
  };
}
