/**
 * The live bridge as activation wires it. The host (./liveHost.ts), the live hover (./liveHover.ts)
 * and the session trackers (./replyTap.ts) are in dist/live.js with the bridge, and VS Code counts
 * loading dist/extension.js in the activation time it shows (docs/architecture.md, "What activation
 * loads"). This stands in for them until one is needed, and loads them on:
 * - the start of a debug session (its tracker must be attached then, or the bridge's answers to
 *   this session would cross to the window and back);
 * - a focused stack frame (the lens, the hover and the command's enablement follow the focus);
 * - the command (from the palette or a caller).
 * Until then nothing is paused in any session the extension has seen, so the lens and the hover
 * have nothing to offer and answer without loading anything.
 */
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type * as LiveParts from './index';
import type { LiveCommandArgs, LiveHostOptions, LiveInspector } from './liveHost';
import type { LiveHoverProvider } from './liveHover';
import { inspectLiveCommand } from './liveIds';

export class LiveLoader extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  private loaded: { host: LiveInspector; hover: LiveHoverProvider } | undefined;
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /** The command until the host registers its own (a command id can be registered only once). */
  private command: vscode.Disposable | undefined;

  constructor(private readonly options: LiveHostOptions) {
    super();
    // A session that starts before the host is loaded gets its tracker from the host loaded here;
    // once loaded, the host's own factory answers (VS Code asks the factories registered when the
    // session starts, so this one and the host's never both give one session a tracker).
    this.register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) =>
          this.loaded ? undefined : this.load().tap.createDebugAdapterTracker(session),
      }),
    );
    // The host reads the focus when it is built and follows it from then on.
    this.register(vscode.debug.onDidChangeActiveStackItem((item) => item && this.load()));
    this.command = vscode.commands.registerCommand(inspectLiveCommand, (args?: LiveCommandArgs) =>
      this.load().inspect(args),
    );
    this.register({ dispose: () => this.command?.dispose() });
    if (vscode.debug.activeStackItem) this.load();
  }

  /** How many hovers read from the program (the integration suite reads it). */
  get reads(): number {
    return this.loaded?.hover.reads ?? 0;
  }

  provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.CodeLens[]> {
    return this.loaded ? this.loaded.host.provideCodeLenses(document, token) : [];
  }

  provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token?: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.Hover> {
    return this.loaded?.hover.provideHover(document, position, token);
  }

  /**
   * The host, built on first use. Its code is in dist/live.js, required here rather than imported
   * (scripts/lazy-parts.mjs).
   */
  private load(): LiveInspector {
    if (!this.loaded) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const parts = require('./index') as typeof LiveParts;
      this.command?.dispose();
      this.command = undefined;
      const host = this.register(new parts.LiveInspector(this.options));
      this.loaded = { host, hover: new parts.LiveHoverProvider(host, inspectLiveCommand) };
      this.register(host.onDidChangeCodeLenses(() => this.lensesChanged.fire()));
      this.lensesChanged.fire();
    }
    return this.loaded.host;
  }
}
