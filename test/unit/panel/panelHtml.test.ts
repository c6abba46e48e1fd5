/** The HTML shell: strict CSP, one nonce'd script, nothing inline. */
import { describe, expect, it } from 'vitest';
import { panelCsp, panelHtml } from '../../../src/panel/panelHtml';

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
});
