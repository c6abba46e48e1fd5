/**
 * The webview's HTML shell, as a pure function of its inputs (no `vscode` import): one nonce'd
 * module script (dist/webview.js) and one stylesheet (media/panel.css), under a CSP that allows
 * nothing else. Both are linked by URI, or carried in the HTML itself (`inline`) under the same
 * nonce: in code-server every linked file is fetched through the webview's service worker and the
 * server, which cost the first open of the panel about 100 ms before the script could start. `@vscode-elements/elements` styles its components with constructable stylesheets
 * (adoptedStyleSheets) and sets dynamic styles through the CSSOM, neither of which `style-src`
 * governs, so no 'unsafe-inline' is needed. The panel uses no codicons, so there is no codicon
 * stylesheet link.
 */

/** What {@link panelHtml} needs. The URIs come from `webview.asWebviewUri`. */
export interface PanelHtmlOptions {
  /** `webview.cspSource` (or `'self'` for a page served outside VS Code). */
  cspSource: string;
  /** A fresh random nonce per HTML (base64 or hex, at least 16 characters). */
  nonce: string;
  /** URI of dist/webview.js. */
  scriptUri: string;
  /** URI of media/panel.css. */
  styleUri: string;
  /** `lang` of the document. */
  lang?: 'en' | 'ko';
  /** Where the webview is shown: the side bar's view (default) or the editor area. */
  surface?: PanelSurfaceKind;
  /**
   * The texts of dist/webview.js and media/panel.css, to carry in the HTML instead of linking them
   * (the stylesheet's URI is then unused; the script's is kept in `data-src`, saying which build
   * runs). Only the extension's own files belong here: they run as the panel.
   */
  inline?: { script: string; style: string };
}

/** The two places the panel is shown. The webview reads it from `<body data-surface>`. */
export type PanelSurfaceKind = 'view' | 'editor';

/** Escapes text for an HTML attribute value in double quotes. */
function attr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Makes a script's or stylesheet's text safe to carry between `<script>`/`<style>` tags: the
 * only sequences the HTML parser acts on there are `</script`, `</style` (end tag) and `<!--`
 * (escaped states). A backslash before the slash or the bang keeps the text's meaning in
 * JavaScript strings, templates and regular expressions and in CSS, and breaks the sequence.
 */
export function inlineText(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** The Content-Security-Policy of the panel; `inlineStyle` lets a `<style>` with the nonce apply. */
export function panelCsp(cspSource: string, nonce: string, inlineStyle = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    inlineStyle ? `style-src ${cspSource} 'nonce-${nonce}'` : `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/**
 * The HTML of the panel. Throws on a nonce that is too short or not base64/hex, since a weak nonce
 * would quietly weaken the CSP, and on a `cspSource` holding characters a CSP source cannot.
 */
export function panelHtml(o: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce))
    throw new Error('panelHtml: the nonce must be at least 16 base64 characters');
  // VS Code gives a space-separated source list, e.g. `'self' https://*.vscode-cdn.net` (code-server
  // 1.100); each entry must be 'self' or a scheme/host expression, so nothing can end the directive.
  const sources = o.cspSource.trim().split(/\s+/);
  if (!sources.every((s) => s === "'self'" || /^[^;,'"<>\s]+$/.test(s)))
    throw new Error('panelHtml: cspSource is not a CSP source expression');
  const nonce = attr(o.nonce);
  const style = o.inline
    ? `<style nonce="${nonce}">${inlineText(o.inline.style)}</style>`
    : `<link rel="stylesheet" href="${attr(o.styleUri)}">`;
  const script = o.inline
    ? `<script type="module" nonce="${nonce}" data-src="${attr(o.scriptUri)}">${inlineText(o.inline.script)}</script>`
    : `<script type="module" nonce="${nonce}" src="${attr(o.scriptUri)}"></script>`;
  return `<!DOCTYPE html>
<html lang="${o.lang ?? 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(o.cspSource, o.nonce, !!o.inline))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>Loss Inspector</title>
</head>
<body data-surface="${o.surface === 'editor' ? 'editor' : 'view'}">
<main id="app" aria-live="off"></main>
${script}
</body>
</html>
`;
}
