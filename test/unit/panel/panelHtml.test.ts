/** The HTML shell: strict CSP, one nonce'd script (linked, or carried in the HTML under the nonce). */
import { describe, expect, it } from 'vitest';
import { inlineText, panelCsp, panelHtml } from '../../../src/panel/panelHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'q7Jx0K3m9ZbV2sYtL4wP8A==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
};

describe('panelHtml', () => {
  const html = panelHtml(options);

  it('sets the CSP: nothing by default, the nonce for scripts, cspSource for styles and fonts', () => {
    expect(panelCsp(options.cspSource, options.nonce)).toBe(
      "default-src 'none'; script-src 'nonce-q7Jx0K3m9ZbV2sYtL4wP8A=='; style-src https://file+.vscode-resource.vscode-cdn.net; " +
        'font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:',
    );
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
    expect(meta?.[1].replace(/&#39;/g, "'")).toBe(panelCsp(options.cspSource, options.nonce));
    expect(html).not.toContain('unsafe-inline');
    expect(html).not.toContain('unsafe-eval');
  });

  it("has exactly one script: the nonce'd module bundle, with no inline code", () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const [, attrs, body] = scripts[0];
    expect(attrs).toContain(`nonce="${options.nonce}"`);
    expect(attrs).toContain(`src="${options.scriptUri}"`);
    expect(attrs).toContain('type="module"');
    expect(body.trim()).toBe('');
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
  });

  it('links the panel stylesheet and no codicons', () => {
    expect(html).toContain(`<link rel="stylesheet" href="${options.styleUri}">`);
    expect(html).not.toContain('vscode-codicon-stylesheet');
  });

  it('escapes attribute values and refuses weak nonces or odd CSP sources', () => {
    const odd = panelHtml({ ...options, scriptUri: 'https://x/"><script>alert(1)</script>' });
    expect(odd).not.toContain('"><script>alert');
    expect(odd.match(/<script/g)).toHaveLength(1);
    expect(() => panelHtml({ ...options, nonce: 'abc' })).toThrow(/nonce/);
    expect(() => panelHtml({ ...options, nonce: "aaaaaaaaaaaaaaaa' 'unsafe-inline" })).toThrow(/nonce/);
    expect(() => panelHtml({ ...options, cspSource: "https://x; script-src 'unsafe-inline'" })).toThrow(/cspSource/);
  });

  it('sets the document language', () => {
    expect(panelHtml({ ...options, lang: 'ko' })).toContain('<html lang="ko">');
  });

  describe('inline', () => {
    const script = 'const a = "</script><script>alert(1)</script>"; const b = `<!-- x`; const r = /<\\/style>/;';
    const style = 'body { color: red } /* </style><img src=x> */';
    const inline = panelHtml({ ...options, inline: { script, style } });

    it('carries the script and stylesheet under the nonce, and the CSP allows only that nonce besides cspSource', () => {
      const scripts = [...inline.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts).toHaveLength(1);
      expect(scripts[0][1]).toBe(` type="module" nonce="${options.nonce}" data-src="${options.scriptUri}"`);
      expect(scripts[0][2]).toBe(inlineText(script));
      expect(inline).not.toMatch(/<script[^>]*\ssrc=/);
      expect(inline).not.toContain(options.styleUri);
      const styles = [...inline.matchAll(/<style\b([^>]*)>([\s\S]*?)<\/style>/g)];
      expect(styles).toHaveLength(1);
      expect(styles[0][1]).toBe(` nonce="${options.nonce}"`);
      const meta = inline.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
      expect(meta?.[1].replace(/&#39;/g, "'")).toBe(panelCsp(options.cspSource, options.nonce, true));
      expect(panelCsp(options.cspSource, options.nonce, true)).toContain(
        `style-src ${options.cspSource} 'nonce-${options.nonce}';`,
      );
      expect(inline).not.toContain('unsafe-inline');
    });

    it('no end tag or comment opener inside the carried text reaches the HTML parser', () => {
      // In a <script> the parser leaves its raw text only at `</script` (and `<!--` starts its
      // escaped states); in a <style> only at `</style`. So one of each in the page: the real ones.
      expect(inline.match(/<\/script/gi)).toHaveLength(1);
      expect(inline.match(/<\/style/gi)).toHaveLength(1);
      expect(inline).not.toContain('<!--');
    });

    it('escaping keeps the meaning of JavaScript strings, templates and regular expressions', () => {
      const code = 'return ["</script>", `<!--${1}`, /<\\/style>/.test("</style>"), "</STYLE"];';
      const run = (src: string) => new Function(src)() as unknown[];
      expect(run(inlineText(code))).toEqual(run(code));
      expect(inlineText(code)).not.toMatch(/<\/(script|style)|<!--/i);
    });
  });
});
