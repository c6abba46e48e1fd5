/**
 * Detection in the worker: `analyze` finds and computes every pair of a document, `inspect`
 * explains one sample of one pair for a hover, `panelData` computes what the panel shows. The last
 * analyses are kept per document key, bounded in count and in bytes (with the text, so a hover's
 * offset can be mapped to a row without the host scanning a 10 MB literal). No Node imports: a
 * browser Web Worker can host it too.
 */
import { analyzeNotebook, analyzeText } from '../core/analysis';
import { KernelError } from '../core/errors';
import { formatTorchScalar } from '../core/format';
import { indexPathAt, topLevelStarts } from '../core/detection/rowAt';
import type { ArraySite, DocumentAnalysis, NotebookCellInput, PairAnalysis } from '../core/detection';
import {
  computeLoss,
  crossEntropySteps,
  gradientRow,
  preparedBytes,
  reductionBreakdown,
  sampleBreakdown,
  topKClasses,
  type LossResult,
  type Prepared,
} from '../core/kernel';
import type { ErrorInfo, InvalidTargetList, LossRequest, SampleBreakdown } from '../core/types';
import { findInvalidTargets, maskInvalidTargets } from '../core/invalidTargets';
import type {
  AnalyzeParams,
  AnalyzeResult,
  ArrayPairParams,
  ArrayPairResult,
  HoldLiveParams,
  HoldLiveResult,
  Inspection,
  PanelData,
  PanelDataParams,
  InspectParams,
  TargetSummary,
} from '../protocol/worker';
import { livePairId, sampleToWire } from '../protocol/worker';
import { buildHeatMap } from './heatMap';
import { lossPayload } from './payload';
import { applyEdits } from './textEdits';

/** A pair as detection returns it in-process: with the exact request it computed. */
type PairWithRequest = PairAnalysis & { request?: LossRequest };

interface Computed {
  prepared: Prepared;
  result: LossResult;
}

interface Entry {
  version: number;
  analysis: DocumentAnalysis;
  text: string | undefined;
  cells: NotebookCellInput[] | undefined;
  language: string;
  computed: Map<number, Computed>;
  /** Per logits literal (site id): where each top-level element starts, built on the first hover. */
  rowStarts?: Map<number, Int32Array>;
  /** The panel's last computation: options key → results. */
  panel?: {
    optionsKey: string;
    main: Computed;
    other: Computed | null;
    heatMap: PanelData['heatMap'];
    /** {@link PanelData.heatMapId} of `heatMap`, kept across options that leave it as it is. */
    heatMapId: number;
    /** The options the heat map depends on (all but the reduction). */
    heatMapKey: string;
    /** Targets out of range, masked as ignored in `main` and `other` (torch raises on them). */
    invalidTargets: InvalidTargetList | null;
  };
  /** What this entry keeps alive, estimated (see {@link entryBytes}). */
  bytes: number;
}

export interface AnalysisServiceOptions {
  /** Most documents whose analysis is kept for inspection. Default 8. */
  maxEntries?: number;
  /**
   * Most bytes the kept analyses may hold (texts, literal values, computed results), estimated.
   * The least recently used go first; the newest always stays, whatever its size. Default 256 MB.
   */
  maxBytes?: number;
}

/** A pair read from a paused program, kept for `inspect` and `panelData` (see {@link HoldLiveParams}). */
interface HeldLive {
  version: number;
  request: LossRequest;
  computed: Map<number, Computed>;
  panel?: Entry['panel'];
}

/** Live pairs kept at once: the panel's, a hover's, and the one being replaced. */
export const maxHeldLive = 3;

export const defaultMaxEntries = 8;
export const defaultMaxBytes = 256 * 2 ** 20;

function notAvailable(version: number): KernelError {
  return new KernelError(
    'invalid_request',
    `The analysis of version ${version} is no longer available; analyse again.`,
  );
}

function thrown(error: ErrorInfo): KernelError {
  return new KernelError(error.code, error.message);
}

/**
 * The analyses the worker keeps per document key, and what is computed from them on request.
 * Failures throw {@link KernelError}s, which the service turns into error replies.
 */
export class AnalysisService {
  private readonly entries = new Map<string, Entry>();
  /** The newest text received per document key, analysed or not (edits apply to it). */
  private readonly texts = new Map<string, { version: number; text: string }>();
  /** Pairs read from paused programs, least recently used first; not counted in `bytes`. */
  private readonly held = new Map<string, HeldLive>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;
  /** Heat maps built so far: the next one's {@link PanelData.heatMapId}. */
  private heatMaps = 0;

  constructor(options: AnalysisServiceOptions = {}) {
    this.maxEntries = options.maxEntries ?? defaultMaxEntries;
    this.maxBytes = options.maxBytes ?? defaultMaxBytes;
  }

  /** Estimated bytes held by all kept analyses (for tests and the log). */
  get heldBytes(): number {
    return this.bytes;
  }

  /** Keys of the kept analyses, least recently used first (for tests). */
  get keys(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Analyses a document; returns the analysis without the arrays' data (it stays here).
   * `shouldStop` is polled between statements: when it says yes the analysis ends with a
   * `cancelled` error. A `transient` analysis is answered and not kept.
   */
  analyze(params: AnalyzeParams, shouldStop?: () => boolean): AnalyzeResult {
    const started = performance.now();
    const opts = {
      ...(params.languageId !== undefined ? { languageId: params.languageId } : {}),
      ...(params.fileName !== undefined ? { fileName: params.fileName } : {}),
      ...(params.dtypeOverride !== undefined ? { dtypeOverride: params.dtypeOverride } : {}),
      ...(params.maxElements !== undefined ? { maxElements: params.maxElements } : {}),
      ...(shouldStop ? { isCancelled: shouldStop } : {}),
    };
    let text = params.text;
    if (params.edits) {
      const base = this.texts.get(params.key);
      if (!base || base.version !== params.baseVersion) {
        throw new KernelError(
          'invalid_request',
          `The worker does not hold version ${params.baseVersion} of this document; send the full text.`,
        );
      }
      text = applyEdits(base.text, params.edits);
    }
    if (!params.transient) {
      this.forget(params.key);
      // Held before the analysis runs: when a newer edit stops this analysis, the edits that
      // follow still apply to this version, and the host need not send the whole text again.
      if (text !== undefined) this.holdText(params.key, params.version, text);
    }
    const analysis = params.cells ? analyzeNotebook(params.cells, opts) : analyzeText(text ?? '', opts);
    if (!params.transient) {
      const entry: Entry = {
        version: params.version,
        analysis,
        text,
        cells: params.cells,
        language: analysis.language,
        computed: new Map(),
        bytes: 0,
      };
      this.entries.set(params.key, entry);
      this.account(entry);
    }
    return { version: params.version, analysis: wireAnalysis(analysis), analysisMs: performance.now() - started };
  }

  /**
   * Keeps a pair read from a paused program under `key` (replacing what that key held), computes
   * it once under its own options and answers with what the host shows first.
   */
  holdLive(params: HoldLiveParams): HoldLiveResult {
    this.held.delete(params.key);
    const held: HeldLive = { version: params.version, request: params.request, computed: new Map() };
    this.held.set(params.key, held);
    while (this.held.size > maxHeldLive) this.held.delete(this.held.keys().next().value as string);
    const outcome = computeLoss(params.request);
    if (!outcome.ok) {
      return {
        loss: null,
        printed: null,
        inputShape: params.request.input.shape,
        targetShape: params.request.target.shape,
        lossShape: [],
        N: 0,
        C: 0,
        S: 0,
        targetKind: null,
        error: outcome.error,
      };
    }
    const { prepared: p, result: r } = outcome;
    held.computed.set(livePairId, { prepared: p, result: r });
    return {
      loss: r.loss,
      printed: formatTorchScalar(r.loss, p.dtype),
      inputShape: p.inputShape,
      targetShape: params.request.target.shape,
      lossShape: p.lossShape,
      N: p.N,
      C: p.C,
      S: p.S,
      targetKind: p.targetKind,
      error: null,
    };
  }

  /** The live pair held under `key` at `version`, most recently used last; undefined for a document key. */
  private heldLive(key: string, version: number, pairId: number): HeldLive | undefined {
    const held = this.held.get(key);
    if (!held) {
      if (key.startsWith('live:')) throw notAvailable(version);
      return undefined;
    }
    if (held.version !== version) throw notAvailable(version);
    if (pairId !== livePairId) throw new KernelError('invalid_request', `No pair ${pairId} in this live read.`);
    this.held.delete(key);
    this.held.set(key, held);
    return held;
  }

  /** The breakdown behind a hover or a copy. */
  inspect(message: InspectParams): Inspection {
    const held = this.heldLive(message.key, message.version, message.pairId);
    const entry = held ? undefined : this.entry(message.key, message.version);
    const pair = entry ? this.pair(entry, message.pairId) : undefined;
    if (pair?.error) throw thrown(pair.error);
    const request = held ? held.request : pair?.request;
    const computedMap = held ? held.computed : entry!.computed;
    const id = pair ? pair.id : livePairId;
    let computed = computedMap.get(id);
    if (!computed) {
      if (!request) throw new KernelError('internal', 'The pair has no request to inspect.');
      const outcome = computeLoss(request);
      if (!outcome.ok) throw thrown(outcome.error);
      computed = { prepared: outcome.prepared, result: outcome.result };
      computedMap.set(id, computed);
      if (entry) this.account(entry);
    }
    const { prepared, result } = computed;
    const count = prepared.N * prepared.S;
    let element = message.element ?? 0;
    let rowSpan: { start: number; end: number } | null = null;
    if (message.element === undefined && message.offset !== undefined && entry && pair) {
      const at = this.elementAt(entry, pair, prepared, message.offset);
      element = at?.element ?? 0;
      rowSpan = at?.span ?? null;
    }
    if (!(element >= 0 && element < count)) {
      throw new KernelError('invalid_request', `Sample ${element} is out of range: the pair has ${count} samples.`);
    }
    const full = sampleBreakdown(prepared, result, element);
    const keep = message.topK ? topKClasses(full.softmax, full.target, message.topK) : null;
    const sample = keep && keep.length < prepared.C ? trimSample(full, keep) : full;
    const reply: Inspection = {
      pairId: id,
      sample,
      classIndices: keep && keep.length < prepared.C ? keep : null,
      C: prepared.C,
      count,
      reduction: reductionBreakdown(prepared, result),
    };
    if (rowSpan) reply.rowSpan = rowSpan;
    if (message.targetLimit) {
      const targets: TargetSummary[] = [];
      for (let e = 0; e < Math.min(count, message.targetLimit); e++) {
        const b = e === element ? full : sampleBreakdown(prepared, result, e);
        const t = b.target;
        targets.push({
          sample: e,
          target: t,
          pTarget: t === null ? NaN : (b.softmax[t] ?? NaN),
          nll: b.loss,
          ignored: b.ignored,
        });
      }
      reply.targets = targets;
    }
    if (message.withData && request) {
      const r = request;
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
  panelData(message: PanelDataParams): PanelData {
    const held = this.heldLive(message.key, message.version, message.pairId);
    const entry = held ? undefined : this.entry(message.key, message.version);
    const pair = entry ? this.pair(entry, message.pairId) : undefined;
    const source = held ? held.request : pair?.request;
    if (!source) throw thrown(pair?.error ?? { code: 'internal', message: 'The pair has no request to compute.' });
    const holder: { panel?: Entry['panel'] } = held ?? entry!;
    const o = message.options;
    const optionsKey = `${message.pairId}|${JSON.stringify(o)}`;
    let panel = holder.panel;
    if (panel?.optionsKey !== optionsKey) {
      let request: LossRequest = {
        ...source,
        reduction: o.reduction,
        dtype: o.dtype,
        labelSmoothing: o.labelSmoothing,
        ignoreIndex: o.ignoreIndex,
        inputKind: o.inputKind,
        weight: o.weight ? { data: Float64Array.from(o.weight), shape: [o.weight.length], integral: false } : null,
      };
      // The gradient is computed per shown sample below, not for every logit of the batch.
      let main = computeLoss(request);
      let invalidTargets: InvalidTargetList | null = null;
      if (!main.ok && main.error.code === 'target_out_of_bounds') {
        // torch raises, but the other samples' steps still teach: compute them with the bad
        // targets masked, and say which they are (the host keeps torch's error on show).
        invalidTargets = findInvalidTargets(request);
        if (invalidTargets) {
          request = maskInvalidTargets(request);
          main = computeLoss(request);
        }
      }
      if (!main.ok) throw thrown(main.error);
      const otherOutcome = computeLoss({ ...request, dtype: o.dtype === 'float32' ? 'float64' : 'float32' });
      const m = { prepared: main.prepared, result: main.result };
      // p and the rows' mean losses do not depend on the reduction: switching it keeps the map.
      const heatMapKey = `${message.pairId}|${JSON.stringify({ ...o, reduction: null })}`;
      let heatMap: PanelData['heatMap'] = null;
      let heatMapId = 0;
      if (panel?.heatMapKey === heatMapKey) ({ heatMap, heatMapId } = panel);
      else if (m.prepared.N * m.prepared.S > 1) {
        const steps = crossEntropySteps(m.prepared);
        const { N, C, S } = m.prepared;
        heatMap = buildHeatMap(steps.softmax, N, C, S, m.result.losses, m.result.ignored);
        heatMapId = ++this.heatMaps;
      }
      panel = {
        optionsKey,
        main: m,
        other: otherOutcome.ok ? { prepared: otherOutcome.prepared, result: otherOutcome.result } : null,
        heatMap,
        heatMapId,
        heatMapKey,
        invalidTargets,
      };
      holder.panel = panel;
      if (entry) this.account(entry);
    }
    const { main, other, heatMap, heatMapId, invalidTargets } = panel;
    const heatMapKept = heatMapId !== 0 && message.heatMapId === heatMapId;
    const count = main.prepared.N * main.prepared.S;
    let element = Math.min(Math.max(0, message.element), count - 1);
    if (invalidTargets && message.preferValid) element = firstValidFrom(element, count, invalidTargets);
    return {
      result: lossPayload(main.prepared, main.result, message.pairId, 0, true),
      otherResult: other ? lossPayload(other.prepared, other.result, message.pairId, 0, true) : null,
      breakdown: sampleToWire(
        sampleBreakdown(main.prepared, main.result, element, gradientRow(main.prepared, main.result, element)),
      ),
      heatMap: heatMapKept ? null : heatMap,
      heatMapId,
      ...(heatMapKept ? { heatMapKept } : {}),
      invalidTargets,
    };
  }

  /**
   * The loss of two literals read as logits and target with torch's defaults. Each literal is
   * read on its own (detection's reading of one array expression); an unbatched (C) logits row
   * with a one-element target is read as (1, C), as the inferred pairs of a document are.
   */
  arrayPair(params: ArrayPairParams): ArrayPairResult {
    const read = (source: ArrayPairParams['logits'], what: string): ArraySite => {
      const analysis = analyzeText(source.text, {
        languageId: source.languageId,
        ...(params.maxElements !== undefined ? { maxElements: params.maxElements } : {}),
      });
      const site = analysis.arrays[0];
      if (!site) throw new KernelError('invalid_request', `The ${what} selection holds no numeric array.`);
      if (!site.data)
        throw new KernelError('invalid_request', `The ${what} array cannot be read: ${site.error ?? 'no values'}.`);
      return site;
    };
    const logits = read(params.logits, 'logits');
    const target = read(params.target, 'target');
    const dtype = params.dtypeOverride ?? logits.dtype ?? 'float32';
    const inputShape =
      logits.shape.length === 1 && target.shape.length === 1 && target.shape[0] === 1
        ? [1, ...logits.shape]
        : logits.shape;
    const request: LossRequest = {
      input: { data: logits.data!, shape: inputShape, integral: logits.integral },
      target: { data: target.data!, shape: target.shape, integral: target.integral },
      weight: null,
      ignoreIndex: -100,
      reduction: 'mean',
      labelSmoothing: 0,
      dtype,
      inputKind: 'logits',
    };
    const outcome = computeLoss(request, params.maxElements !== undefined ? { maxElements: params.maxElements } : {});
    // The panel can show a pair whose targets are out of range (the valid samples' steps), not an unreadable one.
    const withRequest = params.withRequest ? { request } : {};
    if (!outcome.ok) return { loss: null, printed: null, inputShape, dtype, error: outcome.error, ...withRequest };
    const loss = outcome.result.loss;
    return { loss, printed: formatTorchScalar(loss, dtype), inputShape, dtype, error: null, ...withRequest };
  }

  private entry(key: string, version: number): Entry {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) throw notAvailable(version);
    // Most recently used last: eviction takes the first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  private pair(entry: Entry, pairId: number): PairWithRequest {
    const pair = entry.analysis.pairs.find((p) => p.id === pairId) as PairWithRequest | undefined;
    if (!pair) throw new KernelError('invalid_request', `No pair ${pairId} in this document.`);
    return pair;
  }

  /** Re-estimates `entry`'s bytes, then evicts the least recently used others past the bounds. */
  private account(entry: Entry): void {
    const bytes = entryBytes(entry);
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
    for (const [key, other] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      if (other !== entry) this.forget(key);
    }
  }

  private holdText(key: string, version: number, text: string): void {
    this.bytes += 2 * text.length - 2 * (this.texts.get(key)?.text.length ?? 0);
    this.texts.set(key, { version, text });
  }

  /** Drops the analysis and the text held for `key`. */
  private forget(key: string): void {
    const held = this.texts.get(key);
    if (held) {
      this.texts.delete(key);
      this.bytes -= 2 * held.text.length;
    }
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /**
   * The flat sample index of the logits row that contains `offset`, when the literal is the pair's
   * input as written, and for (N, C) and (C) literals the span of offsets that all name that sample.
   */
  private elementAt(
    entry: Entry,
    pair: PairAnalysis,
    p: Prepared,
    offset: number,
  ): { element: number; span: { start: number; end: number } | null } | null {
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
    if (site.shape.length <= 1) return { element: 0, span: { start: site.literalStart, end: site.literalEnd + 1 } };
    // A hover far down a (1000 × 1000) literal would walk 10 MB from its start on every hover: find
    // the row by binary search over the row starts (one walk, on the first hover), then walk only
    // inside that row.
    let starts = entry.rowStarts?.get(site.id);
    if (!starts) {
      starts = topLevelStarts(text, site.literalStart, site.literalEnd, lang);
      (entry.rowStarts ??= new Map()).set(site.id, starts);
      this.account(entry);
    }
    const first = starts[0];
    if (first === undefined || offset < first) return { element: 0, span: null };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const path = indexPathAt(text, starts[lo]!, offset, lang);
    const n = lo;
    if (site.shape.length === 2 || p.S === 1) {
      // Every offset from this row's start to the next row's (or past the literal's end) finds this row.
      const span = site.shape.length === 2 ? { start: starts[lo]!, end: starts[lo + 1] ?? site.literalEnd + 1 } : null;
      return { element: Math.min(n, p.N - 1), span };
    }
    // (N, C, d1, …): the spatial index is below the class index; path[0] is the class.
    let s = 0;
    for (let d = 2; d < site.shape.length; d++) s = s * site.shape[d]! + (path[d - 1] ?? 0);
    return { element: Math.min(n * p.S + s, p.N * p.S - 1), span: null };
  }
}

function computedBytes(c: Computed): number {
  const p = c.prepared;
  const r = c.result;
  return (
    p.source.byteLength +
    preparedBytes(p) +
    (p.indices?.byteLength ?? 0) +
    r.losses.byteLength +
    (r.ignored?.byteLength ?? 0) +
    (r.grad?.byteLength ?? 0)
  );
}

/**
 * What an entry keeps alive, estimated: its notebook cells' text (2 bytes a character; a text
 * document's text is counted where it is held, see holdText), the values of its literals, and
 * the results computed from them. Object overhead is left out; it is small next to the arrays of
 * any document worth bounding.
 */
function entryBytes(e: Entry): number {
  let bytes = 0;
  for (const cell of e.cells ?? []) bytes += 2 * cell.source.length;
  for (const site of e.analysis.arrays) bytes += site.data?.byteLength ?? 0;
  for (const c of e.computed.values()) bytes += computedBytes(c);
  if (e.panel) bytes += computedBytes(e.panel.main) + (e.panel.other ? computedBytes(e.panel.other) : 0);
  for (const starts of e.rowStarts?.values() ?? []) bytes += starts.byteLength;
  return bytes;
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

/** The sample with its per-class arrays cut down to the classes in `keep` (valid class indices). */
function trimSample(b: SampleBreakdown, keep: number[]): SampleBreakdown {
  const pick = (arr: number[]): number[] => keep.map((c) => arr[c]!);
  const trimmed: SampleBreakdown = {
    ...b,
    logits: pick(b.logits),
    shifted: b.shifted && pick(b.shifted),
    exp: b.exp && pick(b.exp),
    softmax: pick(b.softmax),
    logSoftmax: pick(b.logSoftmax),
    targetDistribution: pick(b.targetDistribution),
    weight: pick(b.weight),
    contributions: pick(b.contributions),
  };
  if (b.grad) trimmed.grad = pick(b.grad);
  return trimmed;
}

/** `element` if its target is valid, else the first sample from 0 on whose target is (or `element` when none is). */
function firstValidFrom(element: number, count: number, invalid: InvalidTargetList): number {
  const bad = new Set(invalid.elements);
  if (!bad.has(element)) return element;
  // Past the listed cap the list says nothing: those samples count as valid here.
  for (let e = 0; e < count; e++) if (!bad.has(e)) return e;
  return element;
}
