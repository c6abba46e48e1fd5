/**
 * Framework tabs of pages modelled on d2l's (docs/detection.md 3.127): MkDocs' `=== "PyTorch"` (the
 * tab's content indented under it), Quarto's `::: {.panel-tabset}` (one tab per heading inside the
 * div) and Docusaurus' `<TabItem value="pytorch">` … `</TabItem>`. The tab each code block sits in, by
 * one pass over the page's lines outside the blocks (a `#` comment in code is not a Quarto heading).
 */
import type { MarkdownBlock } from './markdown';

const names: Record<string, string> = {
  pytorch: 'pytorch',
  torch: 'pytorch',
  tensorflow: 'tensorflow',
  tf: 'tensorflow',
  jax: 'jax',
  mxnet: 'mxnet',
  paddle: 'paddle',
  paddlepaddle: 'paddle',
  numpy: 'numpy',
  keras: 'keras',
};

/** The framework a tab's label names (`PyTorch`, `TensorFlow 2`, `tf`); null when it names no known one. */
export function frameworkOf(label: string): string | null {
  const key = label
    .toLowerCase()
    .replace(/[\s._-]+/g, '')
    .replace(/\d+(?:x)?$/, '');
  return Object.hasOwn(names, key) ? names[key] : null;
}

const mkdocsTab = /^([ \t]*)===[+!]?[ \t]+"([^"\n]*)"[ \t]*$/;
const tabItem = /^[ \t]*<TabItem\b([^>]*)>/;
const divOpen = /^[ \t]*(:{3,})[ \t]*(\{[^}\n]*\}|[\w-]+)/;
const divClose = /^[ \t]*(:{3,})[ \t]*$/;

/**
 * Per block: the framework label of the tab it is in (a string), undefined outside any tab; null for
 * the whole page when no container marks tabs.
 */
export function containerTabs(text: string, blocks: MarkdownBlock[]): (string | undefined)[] | null {
  if (!/^[ \t]*(?:===[+!]?[ \t]+"|<TabItem\b|:{3,}[ \t]*\{[^}\n]*panel-tabset)/m.test(text)) return null;
  const out: (string | undefined)[] = [];
  let mkdocs: { indent: number; label: string } | null = null;
  let item: string | undefined;
  // Quarto: the open divs (true for a tabset) and the heading last seen in the innermost tabset.
  const divs: boolean[] = [];
  let quarto: string | undefined;
  let k = 0;
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    while (k < blocks.length && blocks[k].start <= end) {
      out.push(mkdocs?.label ?? item ?? (divs.includes(true) ? quarto : undefined));
      at = blocks[k].after;
      k++;
    }
    if (at > end) continue;
    const line = text.slice(at, end).replace(/\r$/, '');
    at = end + 1;
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (mkdocs && indent <= mkdocs.indent) mkdocs = null;
    let m = mkdocsTab.exec(line);
    if (m) {
      mkdocs = { indent: m[1].length, label: m[2] };
      continue;
    }
    if ((m = tabItem.exec(line))) {
      const attr = /\b(?:value|label)=["']([^"']+)["']/.exec(m[1]);
      item = attr ? attr[1] : '';
      continue;
    }
    if (/^[ \t]*<\/TabItem>/.test(line)) {
      item = undefined;
      continue;
    }
    if ((m = divOpen.exec(line))) {
      divs.push(/panel-tabset/.test(m[2]));
      if (divs[divs.length - 1]) quarto = undefined;
      continue;
    }
    if (divClose.test(line) && divs.length) {
      if (divs.pop()) quarto = undefined;
      continue;
    }
    if (divs[divs.length - 1]) {
      const h = /^#{1,6}[ \t]+(.+?)[ \t#]*$/.exec(line);
      if (h) quarto = h[1];
    }
  }
  while (out.length < blocks.length) out.push(undefined);
  return out;
}
