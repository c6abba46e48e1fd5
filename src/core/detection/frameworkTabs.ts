/**
 * d2l's multi-framework pages (docs/detection.md 3.127): code blocks headed `#@tab pytorch`,
 * `#@tab mxnet, pytorch`, `#@tab all` (or, in the book's later sources, the cell magic `%%tab mxnet,
 * pytorch, jax`, 3.295) write one computation once per framework. Each framework's
 * tab is its own program: its blocks, the `@tab all` blocks and the untagged ones (which are
 * MXNet's when an untagged block imports MXNet, d2l's convention, and every tab's otherwise), in
 * document order. Pages without d2l's markers may put their blocks in MkDocs, Quarto or Docusaurus
 * tabs (tabContainers.ts): blocks outside every tab are shared. A tab naming an unknown framework,
 * or a marker that does not parse, leaves the page one program (null).
 */
import type { MarkdownBlock } from './markdown';
import { containerTabs, frameworkOf } from './tabContainers';

/** In the order tabs are read: a call the tabs share keeps the first tab's pair (context.ts addPair). */
const frameworks = ['pytorch', 'tensorflow', 'keras', 'jax', 'paddle', 'numpy', 'mxnet'];
const d2lFrameworks = new Set(['pytorch', 'tensorflow', 'jax', 'paddle', 'mxnet']);

/** The frameworks a block's `#@tab` line names (`all` for every tab); undefined: no marker; null: unreadable. */
function blockTabs(text: string, b: MarkdownBlock): string[] | null | undefined {
  const first = /^\s*((?:#\s*@|%%)tab\b.*)/.exec(text.slice(b.start, b.end));
  if (!first) return undefined;
  const m = /^(?:#\s*@|%%)tab[ \t]+([\w \t,]+?)[ \t]*$/m.exec(first[1]);
  if (!m) return null;
  const names = m[1].split(',').map((s) => s.trim().toLowerCase());
  if (names.length === 1 && names[0] === 'all') return ['all'];
  return names.every((n) => d2lFrameworks.has(n)) ? names : null;
}

/** Each framework tab's blocks, in document order; null when the page is not read by tabs. */
export function tabPrograms(text: string, blocks: MarkdownBlock[]): MarkdownBlock[][] | null {
  if (!/^[ \t]*(?:#[ \t]*@|%%)tab\b/m.test(text)) return containerPrograms(text, blocks);
  const tabsOf = blocks.map((b) => blockTabs(text, b));
  if (tabsOf.some((t) => t === null)) return null;
  const untagged = blocks.filter((_, i) => tabsOf[i] === undefined);
  const untaggedMxnet = untagged.some((b) =>
    /^[ \t]*(?:from d2l import mxnet\b|from mxnet import\b|import mxnet\b)/m.test(text.slice(b.start, b.end)),
  );
  const named = new Set<string>();
  for (const t of tabsOf) for (const n of t ?? []) if (n !== 'all') named.add(n);
  if (untaggedMxnet) named.add('mxnet');
  if (named.size < 2) return null;
  return frameworks
    .filter((f) => named.has(f))
    .map((tab) =>
      blocks.filter((_, i) => {
        const t = tabsOf[i];
        if (t === undefined) return untaggedMxnet ? tab === 'mxnet' : true;
        return t !== null && (t.includes(tab) || t.includes('all'));
      }),
    );
}

/** The programs of a page whose tabs are MkDocs, Quarto or Docusaurus containers. */
function containerPrograms(text: string, blocks: MarkdownBlock[]): MarkdownBlock[][] | null {
  const labels = containerTabs(text, blocks);
  if (!labels) return null;
  const tabsOf = labels.map((l) => (l === undefined ? undefined : frameworkOf(l)));
  if (tabsOf.some((t) => t === null)) return null;
  const named = new Set(tabsOf.filter((t) => t !== undefined));
  if (named.size < 2) return null;
  return frameworks
    .filter((f) => named.has(f))
    .map((tab) => blocks.filter((_, i) => tabsOf[i] === undefined || tabsOf[i] === tab));
}
