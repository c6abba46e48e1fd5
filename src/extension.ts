import * as vscode from 'vscode';
import { LossInspector } from './lossInspector';

/**
 * Activation only wires things up (STYLE.md habit 1): one root object, owned by the context.
 * No scanning and no worker start happen here; the worker starts on the first analysis.
 */
export function activate(context: vscode.ExtensionContext): LossInspector {
  const started = performance.now();
  const root = new LossInspector(context);
  context.subscriptions.push(root);
  console.log(`[loss-inspector] activated (${context.extension.id}) in ${(performance.now() - started).toFixed(1)} ms`);
  return root;
}

export function deactivate(): void {
  /* The root object is disposed with context.subscriptions. */
}
