/**
 * Whether the panel's header shows what the panel is about, whole: measured in the page by element
 * geometry (no timings). Passed to playwright's `evaluate` on the panel's `#app`, so it uses nothing
 * outside its own body. Used by the UI tests (test/e2e/*.ui.ts) in the real workbench and by the
 * panel demo (panel-demo/build.mjs) over every header state at side-bar and wide widths.
 *
 * What counts as wrong, one sentence each:
 * - the file's name (`.doc-label`), the status or the Open in Editor Area button is cut (its
 *   content wider than its box), or sticks out of the header's first line;
 * - two of them overlap;
 * - the header or the live badge scrolls sideways.
 * A page narrower than any side bar (hidden, or between two layouts) is not measured.
 *
 * The first call in a page also watches the header: on every change of `#app` (a MutationObserver,
 * run right after the change, before the next paint) it measures again and keeps what was wrong and
 * which states it saw, so a state shown only for a moment (the "Computing…" status) is measured too.
 * Returns what is wrong now, what was wrong at any change since the first call, and the states seen
 * (`status | badge`).
 */
export function headerCheck(app: Element): { now: string[]; seen: string[]; states: string[] } {
  const problems = (): string[] => {
    const found: string[] = [];
    // A page narrower than VS Code's narrowest side bar (170 px) is hidden or between two layouts
    // (it reads 0 px for a moment while the layout test moves the view): no header a user can read.
    if (document.body.clientWidth < 170) return [];
    const line = app.querySelector<HTMLElement>('.panel-header .doc-line');
    if (!line) return [];
    const box = line.getBoundingClientRect();
    const named: [string, HTMLElement | null][] = [
      ['the file name', line.querySelector<HTMLElement>('.doc-label')],
      ['the status', line.querySelector<HTMLElement>('.status')],
      ['Open in Editor Area', line.querySelector<HTMLElement>('#open-in-editor')],
    ];
    const shown = named.filter((n): n is [string, HTMLElement] => !!n[1] && n[1].offsetParent !== null);
    for (const [name, el] of shown) {
      const r = el.getBoundingClientRect();
      const text = JSON.stringify(el.textContent ?? '');
      if (el.scrollWidth > el.clientWidth + 1) {
        found.push(`${name} ${text} is cut: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
      }
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        found.push(
          `${name} ${text} sticks out of the header line: ${Math.round(r.left)}–${Math.round(r.right)} px ` +
            `in ${Math.round(box.left)}–${Math.round(box.right)} px`,
        );
      }
    }
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const a = shown[i]![1].getBoundingClientRect();
        const b = shown[j]![1].getBoundingClientRect();
        const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (across > 1 && down > 1) found.push(`${shown[i]![0]} and ${shown[j]![0]} overlap`);
      }
    }
    for (const sel of ['.panel-header', '#live-badge']) {
      const el = app.querySelector<HTMLElement>(sel);
      if (el && el.scrollWidth > el.clientWidth + 1) {
        found.push(`${sel} scrolls sideways: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
      }
    }
    return found;
  };
  const stateOf = () => {
    const status = app.querySelector('.doc-line .status')?.textContent ?? '';
    const live = app.querySelector('#live-badge') ? 'live' : '';
    const stream = app.querySelector('#live-stream, #live-batch-loss')?.className ?? '';
    return `${status || '-'} | ${[live, stream].filter(Boolean).join(' ') || '-'} | ${document.body.clientWidth} px`;
  };
  const w = window as unknown as { __headerCheck?: { seen: string[]; states: string[] } };
  if (!w.__headerCheck) {
    const kept = { seen: [] as string[], states: [] as string[] };
    w.__headerCheck = kept;
    const note = () => {
      const s = stateOf();
      if (!kept.states.includes(s)) kept.states.push(s);
      for (const p of problems()) if (!kept.seen.includes(`${p} (${s})`)) kept.seen.push(`${p} (${s})`);
    };
    new MutationObserver(note).observe(app, { childList: true, subtree: true, characterData: true });
    note();
  }
  return { now: problems(), seen: w.__headerCheck.seen.slice(), states: w.__headerCheck.states.slice() };
}
