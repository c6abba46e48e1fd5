/**
 * The step table's layout for the width it has (see {@link fitStepLayouts}): one column per class
 * while that fits, else classes as rows with the least needed step columns given up; the fits
 * kept per fit key, so that the next sample, another option or a pair shown again takes its
 * box's fit without measuring the page, and the size observer that checks a kept fit once the
 * browser has laid the page out. The tables themselves are built by ./sampleSection.
 */
import type { StepKind } from './formulas';
import { installGrids } from './grids';

/**
 * Step columns of the narrow layout, in the order they are given up when the side bar is too
 * narrow for all of them: the last ones go first. x, p and the class's share of the loss stay.
 */
const byClassKeep: readonly StepKind[] = ['x', 'p', 'qlogp', 'contrib', 'logp', 'q', 'grad', 'exp', 'shifted', 'w'];

/**
 * A box holding the step table: the one-column-per-class layout and the classes-as-rows one, each
 * built when a fit asks for it.
 */
export type StepsBox = HTMLElement & {
  buildNarrow?: (omit?: ReadonlySet<string>) => HTMLElement;
  buildWide?: () => HTMLElement;
};

/** How a steps box was last laid out, for the next box of the same pair (see {@link fitStepLayouts}). */
interface StepFit {
  /** The box's `data-fit-key`: the step kinds, shown classes, decimals and locale. */
  key: string;
  /** The box's width it was fitted to. */
  width: number;
  layout: 'columns' | 'rows';
  /** The class column's tags go under the class number. */
  stacked: boolean;
  /** The step columns given up, in the order of {@link byClassKeep}. */
  dropped: string[];
}

/**
 * The last fits, by `data-fit-key`, least recently used first: going back to a pair shown a moment
 * ago (a CodeLens, the pair picker) takes its fit too, instead of measuring the page again.
 */
const fits = new Map<string, StepFit>();
const keptFits = 8;

function rememberFit(fit: StepFit): void {
  fits.delete(fit.key);
  fits.set(fit.key, fit);
  while (fits.size > keptFits) fits.delete(fits.keys().next().value!);
}

/**
 * Picks the step table's layout for the width it has: one column per class while that fits,
 * else classes as rows, giving up the least needed step columns (named under the table) until
 * the rest fits. Runs after every render and whenever the box's width changes.
 *
 * Measuring lays the panel out, three or four times per fit (30–150 ms on a loaded machine). A
 * box with the same fit key as one fitted lately (the next sample, another reduction, a pair shown
 * again) takes that fit as it is, without reading any size; the size observer checks it once the
 * browser has laid the page out anyway (no extra layout), and fits the box anew only if its
 * table overflows or the width differs. The columns then stay put while samples are paged.
 */
export function fitStepLayouts(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('.steps-box').forEach((box) => {
    if (box.dataset.patched) {
      // A box patched with its fit in place: checked by the size observer once laid out, like a reused fit.
      delete box.dataset.patched;
      box.dataset.fittedWidth = '';
      box.dataset.fitReused = '1';
      // Observed anew, so that the observer reports its size once more.
      stepBoxObserver?.unobserve(box);
    } else if (!reuseFit(box)) fitStepBox(box);
    stepBoxObserver?.observe(box);
  });
}

/** Lays `box` out as the kept fit of its key did; false when there is none or it cannot. */
function reuseFit(box: StepsBox): boolean {
  const fit = fits.get(box.dataset.fitKey ?? '');
  // Without an observer nothing would check the fit later.
  if (!stepBoxObserver || !fit) return false;
  const wide = box.querySelector<HTMLElement>('.wide-layout');
  if (fit.layout === 'columns') {
    if (!wide) return false;
    wide.hidden = false;
    box.dataset.layout = 'columns';
  } else {
    // The columns this fit drops are not built (a refit, which measures them, builds them all).
    const narrow = narrowLayout(box, new Set(fit.dropped));
    const byClass = narrow?.querySelector<HTMLElement>('table');
    if (!narrow || !byClass) return false;
    if (wide) wide.hidden = true;
    narrow.hidden = false;
    box.dataset.layout = 'rows';
    byClass.classList.toggle('stacked-tags', fit.stacked);
    for (const kind of fit.dropped) hideStep(byClass, kind);
    nameDropped(byClass, narrow, new Set(fit.dropped));
  }
  // Checked by the size observer once laid out: an empty width never equals the box's.
  box.dataset.fittedWidth = '';
  box.dataset.fitReused = '1';
  return true;
}

/** Whether the reused fit of `box` still holds: same width, and its table does not overflow (layout is clean here). */
function reusedFitHolds(box: HTMLElement): boolean {
  const fit = fits.get(box.dataset.fitKey ?? '');
  if (!fit || fit.width !== box.clientWidth) return false;
  const shown = box.querySelector<HTMLElement>(fit.layout === 'columns' ? '.wide-layout' : '.narrow-layout');
  const table = shown?.querySelector('table');
  return !!table && table.scrollWidth <= tableRoom(box) + 1;
}

/** The room for a table: the box's width less its padding (it is a section's padded child). */
function tableRoom(box: HTMLElement): number {
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(box) : null;
  const padding = style ? (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0) : 0;
  return box.clientWidth - padding;
}

/** The one-column-per-class layout of `box`, built on first use (first in the box). */
function wideLayout(box: StepsBox): HTMLElement | null {
  let wide = box.querySelector<HTMLElement>('.wide-layout');
  if (!wide && box.buildWide) {
    wide = box.buildWide();
    box.prepend(wide);
    installGrids(wide);
  }
  return wide;
}

/**
 * The classes-as-rows layout of `box`, built on first use without the step columns in `omit`.
 * Without `omit` (a fit that measures them all) one built without some columns is built again whole.
 */
function narrowLayout(box: StepsBox, omit?: ReadonlySet<string>): HTMLElement | null {
  let narrow = box.querySelector<HTMLElement>('.narrow-layout');
  if (narrow && !omit && narrow.querySelector('table[data-omitted]') && box.buildNarrow) {
    narrow.remove();
    narrow = null;
  }
  if (!narrow && box.buildNarrow) {
    narrow = box.buildNarrow(omit);
    box.appendChild(narrow);
    installGrids(narrow);
  }
  return narrow;
}

/** Hides step column `kind` of a classes-as-rows table (its header and cells). */
export function hideStep(byClass: HTMLElement, kind: string): void {
  byClass.querySelectorAll<HTMLElement>(`[data-step="${kind}"]`).forEach((el) => (el.hidden = true));
}

/** Names the dropped step columns under the table, in the table's own order. */
function nameDropped(byClass: HTMLElement, narrow: HTMLElement, dropped: ReadonlySet<string>): void {
  const note = narrow.querySelector<HTMLElement>('.dropped-steps');
  if (!note) return;
  const labels = Array.from(byClass.querySelectorAll<HTMLElement>('thead th[data-step]'))
    .filter((th) => dropped.has(th.dataset.step!))
    .map((th) => th.textContent ?? '');
  note.hidden = labels.length === 0;
  note.textContent = labels.length ? (note.dataset.template ?? '{0}').replace('{0}', labels.join(', ')) : '';
}

/** Lays out one steps box for its current width (see {@link fitStepLayouts}). */
export function fitStepBox(box: StepsBox): void {
  const wide = wideLayout(box);
  if (!wide) return;
  const boxWidth = box.clientWidth;
  box.dataset.fittedWidth = String(boxWidth);
  delete box.dataset.fitReused;
  // No layout (a hidden view, or a test's DOM without one): keep the wide table.
  if (boxWidth === 0) return;
  const width = tableRoom(box);
  let narrow = box.querySelector<HTMLElement>('.narrow-layout');
  wide.hidden = false;
  if (narrow) narrow.hidden = true;
  const table = wide.querySelector('table');
  const key = box.dataset.fitKey ?? '';
  if (!table || table.scrollWidth <= width + 1) {
    box.dataset.layout = 'columns';
    rememberFit({ key, width: boxWidth, layout: 'columns', stacked: false, dropped: [] });
    return;
  }
  narrow = narrowLayout(box);
  if (!narrow) return;
  wide.hidden = true;
  narrow.hidden = false;
  box.dataset.layout = 'rows';
  const byClass = narrow.querySelector<HTMLElement>('table');
  if (!byClass) return;
  byClass.querySelectorAll<HTMLElement>('[data-step]').forEach((el) => (el.hidden = false));
  const present = new Set(
    Array.from(byClass.querySelectorAll<HTMLElement>('thead th[data-step]')).map((el) => el.dataset.step!),
  );
  const order = byClassKeep.filter((k) => present.has(k));
  // The class column's "target" and "predicted" tags go under the class number before any step
  // column is given up (a sample whose target is also the prediction is the widest row).
  byClass.classList.remove('stacked-tags');
  if (byClass.scrollWidth > width + 1) byClass.classList.add('stacked-tags');
  const dropped = new Set<string>();
  const drop = (kind: string) => {
    hideStep(byClass, kind);
    dropped.add(kind);
  };
  let excess = byClass.scrollWidth - (width + 1);
  let i = order.length - 1;
  if (excess > 0) {
    // The columns' widths come from one layout: a dropped column gives its width back (the
    // borders collapse), so the columns to drop are counted rather than tried one at a time,
    // where each try laid the whole panel out again.
    const widths = order.map(
      (kind) => byClass.querySelector(`thead th[data-step="${kind}"]`)?.getBoundingClientRect().width ?? 0,
    );
    // A width of 0 was not measured (no layout): those go one at a time below.
    for (; i >= 3 && excess > 0 && widths[i]! > 0; i--) {
      drop(order[i]!);
      excess -= widths[i]!;
    }
  }
  // Should the widths not add up, the rest go one at a time as measured.
  for (; i >= 3 && byClass.scrollWidth > width + 1; i--) drop(order[i]!);
  nameDropped(byClass, narrow, dropped);
  // The dropped columns' cells go (their headers stay, hidden): as a table built for this fit has them.
  if (dropped.size) {
    for (const kind of dropped) byClass.querySelectorAll(`td[data-step="${kind}"]`).forEach((td) => td.remove());
    byClass.dataset.omitted = [...dropped].join(' ');
  }
  rememberFit({
    key,
    width: boxWidth,
    layout: 'rows',
    stacked: byClass.classList.contains('stacked-tags'),
    dropped: [...dropped],
  });
}

export const stepBoxObserver =
  typeof ResizeObserver === 'undefined'
    ? null
    : new ResizeObserver((entries) => {
        for (const entry of entries) {
          const box = entry.target as HTMLElement;
          if (!box.isConnected) {
            stepBoxObserver?.unobserve(box);
            continue;
          }
          if (String(box.clientWidth) === box.dataset.fittedWidth) continue;
          // A reused fit (see fitStepLayouts) is checked here, where the page is laid out already.
          if (box.dataset.fitReused && reusedFitHolds(box)) {
            box.dataset.fittedWidth = String(box.clientWidth);
            delete box.dataset.fitReused;
          } else fitStepBox(box);
        }
      });

/** Whether the box of `fitKey` would take a kept classes-as-rows fit (its wide table then waits for a refit). */
export function keptFitIsRows(fitKey: string): boolean {
  return !!stepBoxObserver && fits.get(fitKey)?.layout === 'rows';
}
