import type * as vscode from 'vscode';
import { LossInspector } from './lossInspector';

/**
 * Activation only wires things up (docs/architecture.md): one root object, owned by the context.
 * No scanning and no worker start happen here; the worker starts on the first analysis.
 */
export function activate(context: vscode.ExtensionContext): LossInspector {
  const started = performance.now();
  // CPU time as well as wall time: on a loaded machine the OS may deschedule the host mid-activation,
  // which wall time counts and CPU time does not.
  const cpu = process.cpuUsage();
  const root = new LossInspector(context);
  context.subscriptions.push(root);
  const used = process.cpuUsage(cpu);
  root.activation = { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  console.log(
    `[loss-inspector] activated (${context.extension.id}) in ${root.activation.wallMs.toFixed(1)} ms (${root.activation.cpuMs.toFixed(1)} ms CPU)`,
  );
  return root;
}

export function deactivate(): void {
  /* The root object is disposed with context.subscriptions. */
}
