/**
 * The "Loss Inspector" webview view: serves the HTML shell (./panelHtml) with a fresh nonce,
 * limits what the webview may load to dist/ and media/, and connects the webview to the
 * {@link PanelController} through a {@link PanelConnection}. Registered with
 * retainContextWhenHidden (src/lossInspector.ts): a hidden view keeps its script and its last
 * snapshot, so showing it again paints the numbers at once (tens of milliseconds, where rebuilding
 * the webview took seconds) and the fresh snapshot follows. A webview that loads again anyway
 * says `ready` and gets one complete snapshot.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelController, PanelLogger } from './panelController';
import { PanelConnection } from './panelConnection';
import { panelHtml } from './panelHtml';

/** 128 random bits, base64: a CSP nonce. */
export function randomNonce(): string {
  return randomBytes(16).toString('base64');
}

export class LossPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The view id contributed in package.json (`contributes.views`). */
  static readonly viewType = 'lossInspector.panelView';

  private view: vscode.WebviewView | undefined;
  private connection: PanelConnection | undefined;
  /** Lives as long as the provider. */
  private readonly disposables: vscode.Disposable[] = [];
  /** Lives as long as the current view. */
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
    private readonly log: PanelLogger,
  ) {
    controller.onDidChangeState(() => this.connection?.schedulePost(), this, this.disposables);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const webview = view.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const connection = new PanelConnection(webview, this.controller, this.log);
    this.connection = connection;
    webview.onDidReceiveMessage((raw: unknown) => connection.receive(raw), this, this.viewDisposables);
    view.onDidChangeVisibility(
      () => {
        if (view.visible) connection.shown();
        else this.controller.setVisible?.(false);
      },
      this,
      this.viewDisposables,
    );
    view.onDidDispose(
      () => {
        this.controller.setVisible?.(false);
        this.disposeView();
      },
      this,
      this.viewDisposables,
    );
    this.viewDisposables.push({ dispose: () => connection.dispose() });
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      lang: this.controller.getState().locale,
    });
  }

  /** Shows the view if it was resolved; otherwise run the `lossInspector.panelView.focus` command. */
  show(preserveFocus = true): boolean {
    if (!this.view) return false;
    this.view.show(preserveFocus);
    return true;
  }

  dispose(): void {
    this.disposeView();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private disposeView(): void {
    this.view = undefined;
    this.connection = undefined;
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }
}
