/**
 * Whether a header or a short label of the panel breaks a line inside a word: measured in the page
 * by element geometry (no timings). Passed to playwright's `evaluate` on the panel's `#app`, so it
 * uses nothing outside its own body. Used by the layout UI test (panelLayout.ui.ts) in the real
 * workbench, English and Korean.
 *
 * Korean (like Chinese and Japanese) may break between any two characters unless the page says
 * otherwise, so in a 300 px side bar the table head 클래스 came out one syllable per line. A word
 * here is a run of letters and digits (`\p{L}\p{N}`): a line may end at a space or a punctuation
 * mark, never between two letters. Each word of each shown text node under a header cell, a field
 * label, a pager label, a legend or a button is taken as a Range; its client rectangles fall on
 * one line when none starts below the bottom of the one before.
 *
 * Returns one line per broken word: the element, its text, the word and its lines.
 */
export function brokenWords(app: Element): string[] {
  const selector = 'th, label, .pager-label, .chart-legend, .heat-legend, .dropped-steps, vscode-button';
  const found: string[] = [];
  const lines = (rects: DOMRectList): number => {
    const sorted = Array.from(rects)
      .filter((r) => r.width > 0 && r.height > 0)
      .sort((a, b) => a.top - b.top);
    let count = 0;
    let bottom = -Infinity;
    for (const r of sorted) {
      // A rectangle starting below the previous line's bottom is the next line; rectangles of one
      // line (a smaller tag beside a number) overlap vertically.
      if (r.top >= bottom - 1) count++;
      bottom = Math.max(bottom, r.bottom);
    }
    return count;
  };
  for (const el of Array.from(app.querySelectorAll<HTMLElement>(selector))) {
    // Hidden (a collapsed section, a dropped step column) or inside another checked element.
    if (el.offsetParent === null || el.parentElement?.closest(selector)) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[hidden], .tip-text, .sr-only')) continue;
      for (const m of node.data.matchAll(/[\p{L}\p{N}]+/gu)) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const n = lines(range.getClientRects());
        if (n > 1) {
          const tag = el.tagName.toLowerCase();
          found.push(`${tag} ${JSON.stringify(el.textContent?.trim() ?? '')}: "${m[0]}" on ${n} lines`);
        }
      }
    }
  }
  return found;
}
