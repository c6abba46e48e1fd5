import type * as vscode from 'vscode';

/** Activation only wires things up (STYLE.md habit 1); the root object arrives with the editor issue. */
export function activate(context: vscode.ExtensionContext): void {
  console.log(`[loss-inspector] activated (${context.extension.id})`);
}

export function deactivate(): void {
  /* Disposables registered on context.subscriptions are disposed by VS Code. */
}
