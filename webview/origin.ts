/**
 * The header lines of a pair whose number is not torch's own loss (another library's call, or a
 * formula written with numpy): the call as the library spells it with its value, the per-example
 * losses when it gives a vector or has no torch steps, the host's sentences on how the library
 * maps to torch's CrossEntropyLoss, and why "Copy PyTorch" is missing when it is. Everything
 * from the host is text (the title and the notes are rendered as text nodes).
 */
import type { PairOrigin } from '../src/protocol/webview';
import { h, type Child } from './dom';
import { num } from './format';
import type { Translate } from './l10n';

/**
 * A dotted call as text pieces with a line-break opportunity after each `.`, `(` and `,`, so that a
 * narrow side bar wraps `keras.losses.SparseCategoricalCrossentropy(from_logits=True)` between its
 * names rather than inside one.
 */
function breakable(title: string): Child[] {
  const out: Child[] = [];
  for (const piece of title.split(/(?<=[.(,])/)) out.push(piece, h('wbr'));
  return out.slice(0, -1);
}

/**
 * `keras.losses.CategoricalCrossentropy = 1.1769`: the library's call and its number, with the
 * mark `assumed` beside the call when the file does not import what it is read through (the same
 * mark torch's own loss gets in its headline).
 */
export function originHeadline(origin: PairOrigin, t: Translate, d: number, assumed: HTMLElement | null): HTMLElement {
  const value =
    origin.loss !== null ? num(origin.loss, d) : origin.count > 0 ? t('{0} losses', origin.count) : t('not computed');
  return h(
    'p',
    { class: 'headline origin-headline', id: 'origin-headline' },
    h('code', { class: 'origin-call', id: 'origin-call' }, ...breakable(origin.title)),
    assumed ? ' ' : null,
    assumed,
    ' = ',
    h('strong', { id: 'headline-loss' }, value),
  );
}

/** The library's per-example losses, the mapping to torch in sentences, and the copy note. */
export function originCard(origin: PairOrigin, t: Translate, d: number): HTMLElement {
  const parts: Child[] = [
    h('p', { class: 'origin-heading', id: 'origin-heading' }, origin.heading),
    h('ul', { class: 'origin-notes', id: 'origin-notes' }, ...origin.notes.map((n) => h('li', null, n))),
  ];
  // A vector output, or no torch steps below: the library's own per-example losses.
  if (origin.count > 0 && (origin.loss === null || !origin.torchSteps)) {
    const shown = origin.losses.map((v) => num(v, d)).join(', ');
    const more = origin.count > origin.losses.length ? `, … (${origin.count})` : '';
    parts.push(
      h(
        'p',
        { class: 'origin-losses', id: 'origin-losses' },
        `${t('Per example')}: `,
        h('span', { class: 'num' }, `[${shown}${more}]`),
      ),
    );
  }
  if (!origin.pytorch && origin.noCopy)
    parts.push(h('p', { class: 'note', id: 'origin-no-copy' }, t('No "Copy PyTorch": {0}', origin.noCopy)));
  return h('div', { class: 'origin', id: 'origin' }, ...parts);
}
