/**
 * The "Loss Inspector" webview view, and the same view opened full width in the editor area:
 * each serves the HTML shell (./panelHtml) with a fresh nonce, limits what the webview may load
 * to dist/ and media/, and connects the webview to the one {@link PanelController} through its
 * own {@link PanelConnection} (the same guard on every message). Both are retained while hidden
 * (retainContextWhenHidden): a hidden view keeps its script and its last snapshot, so showing it
 * again paints the numbers at once (tens of milliseconds, where rebuilding the webview took
 * seconds) and the fresh snapshot follows. A webview that loads again anyway says `ready` and gets
 * one complete snapshot. The controller computes while at least one of the two shows its snapshots.
 */
import type * as Crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PanelController, PanelLogger } from './panelController';
import { PanelConnection } from './panelConnection';
import { panelHtml, type PanelSurfaceKind } from './panelHtml';
import { panelViewType } from './panelIds';

/** 128 random bits, base64: a CSP nonce. */
export function randomNonce(): string {
  // Required on first use: loading `node:crypto` at the top cost activation several milliseconds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  return randomBytes(16).toString('base64');
}

/**
 * The webview's script and stylesheet as text, to carry in the HTML (see panelHtml's `inline`);
 * undefined when either cannot be read, and the HTML links them instead. Read at each webview's
 * creation (a quarter of a millisecond), so a rebuilt bundle is what a reloaded webview runs.
 */
function readInlineParts(script: vscode.Uri, style: vscode.Uri): { script: string; style: string } | undefined {
  try {
    return { script: readFileSync(script.fsPath, 'utf8'), style: readFileSync(style.fsPath, 'utf8') };
  } catch {
    return undefined;
  }
}

/** One webview showing the panel, with what lives as long as it does. */
interface Surface {
  connection: PanelConnection;
  visible: boolean;
  disposables: vscode.Disposable[];
}

export class LossPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The view id contributed in package.json (`contributes.views`). */
  static readonly viewType = panelViewType;
  /** The webview panel type of the view opened in the editor area. */
  static readonly editorPanelType = 'lossInspector.editorPanel';

  private view: vscode.WebviewView | undefined;
  private editorPanel: vscode.WebviewPanel | undefined;
  private readonly surfaces = new Map<PanelSurfaceKind, Surface>();
  /** Lives as long as the provider. */
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
    private readonly log: PanelLogger,
  ) {
    controller.onDidChangeState(
      () => {
        for (const s of this.surfaces.values()) s.connection.schedulePost();
      },
      this,
      this.disposables,
    );
    controller.onDidAhead?.(
      (note) => {
        for (const s of this.surfaces.values()) s.connection.postAhead(note);
      },
      this,
      this.disposables,
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const surface = this.attach('view', view.webview);
    view.onDidChangeVisibility(
      () => {
        if (view.visible) {
          surface.connection.shown();
          return;
        }
        this.setVisible('view', false);
      },
      this,
      surface.disposables,
    );
    view.onDidDispose(
      () => {
        if (this.view === view) this.view = undefined;
        this.detach('view', surface);
      },
      this,
      surface.disposables,
    );
  }

  /**
   * Opens the panel full width in the editor area (beside the active editor), or reveals it when
   * it is open already. The same snapshots, HTML, CSP and message guard as the side bar's view.
   */
  openInEditor(): void {
    if (this.editorPanel) {
      this.editorPanel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      LossPanelProvider.editorPanelType,
      'Loss Inspector',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: this.roots(), retainContextWhenHidden: true },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-mono.svg');
    this.editorPanel = panel;
    const surface = this.attach('editor', panel.webview);
    panel.onDidChangeViewState(
      () => {
        if (panel.visible) {
          surface.connection.shown();
          return;
        }
        this.setVisible('editor', false);
      },
      this,
      surface.disposables,
    );
    panel.onDidDispose(
      () => {
        if (this.editorPanel === panel) this.editorPanel = undefined;
        this.detach('editor', surface);
      },
      this,
      surface.disposables,
    );
  }

  /** Whether the side bar's view is resolved and on screen. */
  viewVisible(): boolean {
    return this.view?.visible === true;
  }

  /** Shows the view if it was resolved; otherwise run the `lossInspector.panelView.focus` command. */
  show(preserveFocus = true): boolean {
    if (!this.view) return false;
    this.view.show(preserveFocus);
    return true;
  }

  dispose(): void {
    this.editorPanel?.dispose();
    for (const [kind, s] of [...this.surfaces]) this.detach(kind, s);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private roots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  /** Connects `webview` to the controller as `kind` and gives it the HTML shell. */
  private attach(kind: PanelSurfaceKind, webview: vscode.Webview): Surface {
    const old = this.surfaces.get(kind);
    if (old) this.detach(kind, old);
    const [dist, media] = this.roots() as [vscode.Uri, vscode.Uri];
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const connection = new PanelConnection(webview, this.controller, this.log, {
      setVisible: (visible) => this.setVisible(kind, visible),
      ...(kind === 'view' ? { openInEditor: () => this.openInEditor() } : {}),
    });
    const surface: Surface = { connection, visible: false, disposables: [] };
    this.surfaces.set(kind, surface);
    webview.onDidReceiveMessage((raw: unknown) => connection.receive(raw), this, surface.disposables);
    surface.disposables.push({ dispose: () => connection.dispose() });
    const scriptFile = vscode.Uri.joinPath(dist, 'webview.js');
    const styleFile = vscode.Uri.joinPath(media, 'panel.css');
    const parts = readInlineParts(scriptFile, styleFile);
    const mapUri = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js.map')).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomNonce(),
      scriptUri: webview.asWebviewUri(scriptFile).toString(),
      styleUri: webview.asWebviewUri(styleFile).toString(),
      lang: this.controller.getState().locale,
      surface: kind,
      ...(parts && {
        inline: {
          script: parts.script.replace(
            /\/\/# sourceMappingURL=webview\.js\.map\s*$/,
            `//# sourceMappingURL=${mapUri}\n`,
          ),
          style: parts.style,
        },
      }),
    });
    // The webview is created only to be shown: compute now, while its page and script load,
    // instead of after its `ready` (the first open waited for both one after the other).
    this.setVisible(kind, true);
    return surface;
  }

  private detach(kind: PanelSurfaceKind, surface: Surface): void {
    if (this.surfaces.get(kind) === surface) this.surfaces.delete(kind);
    surface.visible = false;
    for (const d of surface.disposables.splice(0)) d.dispose();
    this.updateVisible();
  }

  /** A surface said `ready` (the controller refreshes) or was hidden (it stops once none shows it). */
  private setVisible(kind: PanelSurfaceKind, visible: boolean): void {
    const surface = this.surfaces.get(kind);
    if (!surface) return;
    surface.visible = visible;
    if (visible) this.controller.setVisible?.(true);
    else this.updateVisible();
  }

  /** Tells the controller to stop computing once no surface shows its snapshots. */
  private updateVisible(): void {
    for (const s of this.surfaces.values()) if (s.visible) return;
    this.controller.setVisible?.(false);
  }
}
