/**
 * What the panel shows of one sample (the page of classes, the gradient of those classes and the
 * stability card), made at once for an answer or a step at a time ahead of the request that asks
 * for it: the sample after the one just answered, which the panel's Next button asks for. A step is
 * a few thousand classes of the sample's row lists (shownRows.ts), then each O(C) part of what is
 * shown of them — its lists, the page and the sums over the other classes, the gradient and the
 * card — so that a request arriving meanwhile waits for one of those, not for all of them. A
 * request for the sample being made ahead finishes it where it stopped; the steps call the
 * functions the answer calls, in the same order, so what is made either way is the same, to the bit.
 */
import { gradientRow, sampleLists, type SampleLists } from '../core/kernel';
import { buildSampleView, buildStability } from '../core/shownSample';
import type { SampleView } from '../core/types';
import type { PanelDataParams, ShownSample } from '../protocol/worker';
import { classPageSize } from '../protocol/webview';
import type { PanelComputation } from './panelCompute';
import { keptRow, stepRowAhead } from './shownRows';

/** Whether to run another step: asked after each step. */
type Enough = () => boolean;

const never: Enough = () => false;

/** Sample `element`'s shown columns of `panel`'s main computation, made a part per step. */
class ShownSteps {
  private rowMade = false;
  private full: SampleLists | null = null;
  private sample: SampleView | null = null;
  private shown: ShownSample | null;

  /** `made`: what is shown, made already (see {@link keepShown}). */
  constructor(
    private readonly panel: PanelComputation,
    private readonly message: PanelDataParams,
    readonly element: number,
    made: ShownSample | null = null,
  ) {
    this.shown = made;
  }

  /** Runs steps until `enough` says stop (at least one when any is left); true when none is left. */
  step(enough: Enough): boolean {
    while (!this.shown) {
      this.one(enough);
      if (this.shown || enough()) break;
    }
    return this.shown !== null;
  }

  /** What is shown, making what is left of it at once. */
  finish(): ShownSample {
    this.step(never);
    return this.shown!;
  }

  private one(enough: Enough): void {
    const { panel, message, element } = this;
    const { main } = panel;
    const shown = message.shown!;
    if (!this.rowMade) {
      // The row lists a few thousand classes a step (kept; or not kept when too long, then made below).
      this.rowMade = stepRowAhead(panel.shownRows, message.pairId, main.prepared, element, enough);
    } else if (!this.full) {
      const row = keptRow(panel.shownRows, message.pairId, main.prepared, element);
      this.full = sampleLists(main.prepared, main.result, element, row);
    } else if (!this.sample) {
      const o = message.options;
      this.sample = buildSampleView(this.full, {
        dtype: main.prepared.dtype,
        inputKind: o.inputKind,
        labelSmoothing: o.labelSmoothing,
        reduction: main.prepared.reduction,
        denominator: main.result.denominator,
        classStart: shown.classStart,
        pageSize: classPageSize,
      });
    } else {
      const sample = this.sample;
      sample.grad = Array.from(gradientRow(main.prepared, main.result, element, sample.classIndices));
      // A closed card is not seen: its 2·C exponentials wait until the webview says it opened.
      const stability =
        sample.inputKind === 'logits' && Number.isFinite(shown.shift) && shown.stability !== false
          ? buildStability(this.full!.logits, sample.classIndices, shown.shift)
          : null;
      this.shown = { sample, stability };
    }
  }
}

/**
 * What the panel shows of sample `element`: the page of classes and (unless it is closed) the
 * stability card `message.shown` asks for. The sample's lists stay typed arrays here, and its
 * gradient is computed for the shown classes alone.
 */
export function shownSample(panel: PanelComputation, message: PanelDataParams, element: number): ShownSample {
  return new ShownSteps(panel, message, element).finish();
}

/**
 * The shown sample made ahead ({@link stepPrefetchShown}) or kept ({@link keepShown}), per
 * computation object: a computation under other options (a reduction switch too) is another object
 * and finds nothing here.
 */
const prefetched = new WeakMap<PanelComputation, { key: string; steps: ShownSteps }>();

/** What keys a shown sample besides the computation: the page of classes and the shift asked for. */
function shownKey(message: PanelDataParams): string {
  return JSON.stringify(message.shown);
}

/** The element whose shown sample is made (or being made) ahead for `panel`, or null (for tests). */
export function prefetchedElement(panel: PanelComputation): number | null {
  return prefetched.get(panel)?.steps.element ?? null;
}

/**
 * The shown sample made ahead for `element` under `message`'s page and shift, taken out (finished
 * first when it is half made); or undefined.
 */
export function takePrefetched(
  panel: PanelComputation,
  element: number,
  message: PanelDataParams,
): ShownSample | undefined {
  const kept = prefetched.get(panel);
  if (!kept || kept.steps.element !== element || kept.key !== shownKey(message)) return undefined;
  prefetched.delete(panel);
  return kept.steps.finish();
}

/**
 * Keeps the sample an answer that left the other dtype for later showed, for the request that
 * asks for the rest next (the same sample): it is not computed twice.
 */
export function keepShown(panel: PanelComputation, message: PanelDataParams, shown: ShownSample): void {
  prefetched.set(panel, { key: shownKey(message), steps: new ShownSteps(panel, message, shown.sample.element, shown) });
}

/**
 * Makes ahead what the answer would show of `element` (the sample after the one just answered)
 * with `message`'s options, page and shift, a step at a time until `enough` says stop, so that
 * asking for it is answered without a pass over its C classes. One per computation: another
 * element or page replaces the one begun. True when nothing is left.
 */
export function stepPrefetchShown(
  panel: PanelComputation,
  message: PanelDataParams,
  element: number,
  enough: Enough,
): boolean {
  if (!message.shown) return true;
  const count = panel.main.prepared.N * panel.main.prepared.S;
  if (element < 0 || element >= count) return true;
  const key = shownKey(message);
  let kept = prefetched.get(panel);
  if (!kept || kept.steps.element !== element || kept.key !== key)
    prefetched.set(panel, (kept = { key, steps: new ShownSteps(panel, message, element) }));
  return kept.steps.step(enough);
}

/** {@link stepPrefetchShown} at once. */
export function prefetchShown(panel: PanelComputation, message: PanelDataParams, element: number): void {
  stepPrefetchShown(panel, message, element, never);
}

/**
 * For a dtype switch, steps of the worker's idle time: sample `element`'s row lists in the other
 * dtype, once that is computed, kept for the computation's shown rows, which the switch (the two
 * dtypes swapping roles) then takes instead of making them while a request waits. True when
 * nothing is left.
 */
export function prefetchOtherRow(
  panel: PanelComputation,
  message: PanelDataParams,
  element: number,
  enough: Enough = never,
): boolean {
  const other = panel.other;
  return !other || !message.shown || stepRowAhead(panel.shownRows, message.pairId, other.prepared, element, enough);
}
