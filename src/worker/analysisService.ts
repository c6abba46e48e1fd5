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
import { classCountOf } from '../core/invalidTargets';
import type { DocumentAnalysis, PairAnalysis } from '../core/detection';
import { computeLoss, preparedBytes, reductionBreakdown, sampleBreakdown, topKClasses } from '../core/kernel';
import type { LossRequest, SampleBreakdown } from '../core/types';
import type {
  AnalyzeParams,
  AnalyzeResult,
  ArrayPairParams,
  ArrayPairResult,
  HoldLiveParams,
  HoldLiveResult,
  Hop,
  Inspection,
  PanelData,
  PanelDataParams,
  InspectParams,
  TargetSummary,
} from '../protocol/worker';
import { livePairId } from '../protocol/worker';
import { arrayPair } from './arrayPair';
import {
  completeOther,
  keepShown,
  panelAnswer,
  panelComputation,
  prefetchOtherRow,
  stepPrefetchShown,
  stepRowStatsAhead,
  stepSpareHeatMap,
  thrown,
  type Computed,
  type PanelComputation,
} from './panelCompute';
import { elementAt, type RowSource } from './rowLocator';
import { applyEdits } from './textEdits';
import { WorkAhead, type AheadTask, type WorkAheadOptions } from './workAhead';

/** A pair as detection returns it in-process: with the exact request it computed. */
type PairWithRequest = PairAnalysis & { request?: LossRequest };

interface Entry extends RowSource {
  version: number;
  computed: Map<number, Computed>;
  /** The panel's last computation: options key → results. */
  panel?: PanelComputation;
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
  /** How the panel's work ahead is scheduled (tests pass their own; see {@link WorkAhead}). */
  ahead?: WorkAheadOptions;
  /**
   * Makes the task that runs the panel's code on a small made-up pair in the idle time after the
   * first pair of at least {@link warmUpMinClasses} classes is analysed or held, so that V8 has
   * optimised it before that pair's answers (warmUp.ts's warmUpTask; the worker passes it). Default: none.
   */
  warmUp?: () => AheadTask;
}

/** A pair read from a paused program, kept for `inspect` and `panelData` (see {@link HoldLiveParams}). */
interface HeldLive {
  version: number;
  request: LossRequest;
  computed: Map<number, Computed>;
  panel?: PanelComputation;
}

/** Live pairs kept at once: the panel's, a hover's, and the one being replaced. */
export const maxHeldLive = 3;

export const defaultMaxEntries = 8;

/**
 * Pairs whose rows have at least this many classes are worth a warm-up for
 * ({@link AnalysisServiceOptions.warmUp}): below it a cold sample view costs well under a millisecond.
 */
export const warmUpMinClasses = 4096;
export const defaultMaxBytes = 256 * 2 ** 20;

function notAvailable(version: number): KernelError {
  return new KernelError(
    'invalid_request',
    `The analysis of version ${version} is no longer available; analyse again.`,
    { id: 'analysis_gone', version },
  );
}

function noPair(pair: number, where: 'document' | 'live read'): KernelError {
  return new KernelError('invalid_request', `No pair ${pair} in this ${where}.`, { id: 'no_pair', pair });
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
  /** The panel's work done after an answer, ahead of the requests it expects (see panelData). */
  private readonly ahead: WorkAhead;
  /** The warm-up still to be queued (see {@link AnalysisServiceOptions.warmUp}). */
  private warmUp: (() => AheadTask) | undefined;

  constructor(options: AnalysisServiceOptions = {}) {
    this.maxEntries = options.maxEntries ?? defaultMaxEntries;
    this.maxBytes = options.maxBytes ?? defaultMaxBytes;
    this.ahead = new WorkAhead(options.ahead);
    this.warmUp = options.warmUp;
  }

  /** Queues the warm-up once, when a pair of `inputShape` has enough classes to be worth it. */
  private warmUpFor(inputShape: readonly number[]): void {
    if (!this.warmUp || (classCountOf(inputShape) ?? 0) < warmUpMinClasses) return;
    this.ahead.whenIdle(this.warmUp());
    this.warmUp = undefined;
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
          { id: 'version_not_held', version: params.baseVersion ?? -1 },
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
      for (const pair of analysis.pairs) this.warmUpFor(pair.inputShape);
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
    this.warmUpFor(params.request.input.shape);
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
    if (pairId !== livePairId) throw noPair(pairId, 'live read');
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
      if (!request) throw new KernelError('internal', 'The pair has no request to inspect.', { id: 'no_request' });
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
      const at = elementAt(entry, pair, prepared, message.offset, () => this.account(entry));
      element = at?.element ?? 0;
      rowSpan = at?.span ?? null;
    }
    if (!(element >= 0 && element < count)) {
      throw new KernelError('invalid_request', `Sample ${element} is out of range: the pair has ${count} samples.`, {
        id: 'sample_out_of_range',
        sample: element,
        count,
      });
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

  /**
   * Everything the panel shows for one pair under the panel's options. `shouldStop` is asked once
   * the computation is done and kept, before the answer (the shown sample, O(C)): a snapshot made
   * ahead that the user's change made moot stops there, and the change's own request, which waits
   * for it, starts that much sooner (and finds the computation kept).
   */
  panelData(message: PanelDataParams, hops: Hop[] = [], shouldStop: () => boolean = () => false): PanelData {
    const held = this.heldLive(message.key, message.version, message.pairId);
    const entry = held ? undefined : this.entry(message.key, message.version);
    const pair = entry ? this.pair(entry, message.pairId) : undefined;
    // The code's own mean or sum of an earlier pair's per-element losses has no request of its own:
    // the panel shows that pair's steps (reduction 'none', see codeOptions) under this pair's number.
    const reduced = pair && !pair.request && pair.reduces ? this.pair(entry!, pair.reduces.pair) : undefined;
    const source = held ? held.request : (pair?.request ?? reduced?.request);
    if (!source)
      throw thrown(
        pair?.error ?? {
          code: 'internal',
          message: 'The pair has no request to compute.',
          detail: { id: 'no_request' },
        },
      );
    const holder: { panel?: PanelComputation } = held ?? entry!;
    // The turn of work ahead this request may have waited behind (see WorkAhead.waitedFor).
    const ahead = this.ahead.waitedFor();
    if (ahead > 0) hops.push(['worker.ahead', ahead]);
    const started = performance.now();
    // A held pair's first panel under its own options takes holdLive's pass instead of a second
    // one; the panel's computation owns it from then on (a new reduction moves its Prepared).
    const own = held && !held.panel ? held.computed.get(livePairId) : undefined;
    const panel = panelComputation(source, message, holder.panel, () => ++this.heatMaps, own);
    if (own && panel.main.prepared === own.prepared) held!.computed.delete(livePairId);
    if (panel !== holder.panel) {
      holder.panel = panel;
      if (entry) this.account(entry);
    }
    if (!message.otherLater) completeOther(panel);
    if (shouldStop()) throw new KernelError('cancelled', 'The request was cancelled.', { id: 'cancelled' });
    const computed = performance.now();
    const answer = panelAnswer(panel, message);
    hops.push(['worker.kernel', computed - started], ['worker.answer', performance.now() - computed]);
    // Once this reply is posted, while nothing else is asked, a few rows per turn of the event loop
    // (see WorkAhead): the other dtype if it was left for later (the host asks for it next), the
    // next sample (see stepPrefetchShown), the other dtype's heat map a dtype switch shows, then the
    // rows' statistics an ε change is computed from, per dtype, with the shown sample's row lists in
    // the other dtype between them. A request that needs what is half made finishes it (completeOther, computeKept).
    if (answer.otherPending && answer.shown) keepShown(panel, message, answer.shown);
    if (answer.shown || panel.otherLater) {
      // The host asks for the same sample next when the other dtype is pending: it stays kept.
      const next = answer.shown && !answer.otherPending ? answer.shown.sample.element + 1 : -1;
      this.ahead.start(
        [
          (enough) => {
            const later = panel.otherLater;
            if (!later) return true;
            if (!later.step(enough)) return false;
            completeOther(panel);
            if (entry) this.account(entry);
            return true;
          },
          // The next sample: its row lists a few classes a step, then each part of what is shown of them.
          (enough) => stepPrefetchShown(panel, message, next, enough),
          (enough) => stepSpareHeatMap(panel, message, () => ++this.heatMaps, enough),
          (enough) => stepRowStatsAhead(panel, 'main', enough),
          // The shown sample's row lists in the other dtype, which a dtype switch shows (after the
          // row statistics an ε change waits for, which are longer to make).
          (enough) => !answer.shown || prefetchOtherRow(panel, message, answer.shown.sample.element, enough),
          (enough) => stepRowStatsAhead(panel, 'other', enough),
        ],
        () => holder.panel === panel,
      );
    }
    return answer;
  }

  /**
   * The loss of two literals read as logits and target with torch's defaults (see
   * {@link arrayPair}); nothing is kept.
   */
  arrayPair(params: ArrayPairParams): ArrayPairResult {
    return arrayPair(params);
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
    if (!pair) throw noPair(pairId, 'document');
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
