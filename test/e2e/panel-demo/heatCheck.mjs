// A check of the panel demo (build.mjs) in its real browser page.

/**
 * The heat map of `messages` (a heat map and a snapshot naming it) drawn off the page for a known
 * width with the theme read before (webview/charts.ts), read right after the render that drew it,
 * then drawn again on the page after a theme change (the same theme), which reads the theme anew.
 * Answers each drawing as `width×height:hash` of its cells' canvas and the scale's: equal, or the
 * drawing ahead changed the picture.
 */
export async function heatDrawnAhead(page, url, messages) {
  await page.goto(url);
  await page.waitForSelector('table.steps', { state: 'attached' });
  const text = JSON.stringify(messages, (_k, v) => (ArrayBuffer.isView(v) ? { $f64: Array.from(v) } : v));
  return page.evaluate(async (text) => {
    const [heat, state] = JSON.parse(text, (_k, v) => (v && Array.isArray(v.$f64) ? Float64Array.from(v.$f64) : v));
    const frame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    // Read through a copy made for reading (the page's canvases are not; reading them twice warns).
    const hash = (c) => {
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let h = 2166136261;
      for (let i = 0; i < px.length; i++) h = Math.imul(h ^ px[i], 16777619) >>> 0;
      return `${c.width}×${c.height}:${h.toString(16)}`;
    };
    const read = () =>
      `${hash(document.querySelector('#sec-batch canvas.heatmap'))} ${hash(document.querySelector('#sec-batch canvas.heat-scale'))}`;
    const drawn = [];
    let ahead = null;
    // After the app's listener: the canvases as the render left them, before any observer redraws.
    window.addEventListener('message', (e) => {
      if (e.data.type === 'state' && e.data.heatMapId === 2) {
        ahead = document.querySelector('#sec-batch canvas.heatmap');
        drawn.push(read());
      }
    });
    const send = async (id) => {
      window.postMessage({ ...heat, id }, '*');
      window.postMessage({ ...state, heatMapId: id }, '*');
      await frame();
      await frame();
    };
    // The first map lets the page know the heat map's width and theme; the second is drawn ahead.
    await send(1);
    await send(2);
    // A theme change (to the same theme) draws it again on the page, the theme read anew.
    document.body.setAttribute('class', document.body.getAttribute('class') ?? '');
    await frame();
    if (document.querySelector('#sec-batch canvas.heatmap') !== ahead) drawn.push('another canvas');
    drawn.push(read());
    return drawn;
  }, text);
}
