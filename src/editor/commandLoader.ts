/**
 * The commands as activation wires them: each id is registered at once, and the bodies
 * (./commands.ts, with the breakdown export and the workspace check) are a bundle of their own,
 * dist/commands.js, loaded when a command first runs (scripts/lazy-parts.mjs): VS Code counts
 * loading dist/extension.js in the activation time it shows.
 */
import * as vscode from 'vscode';
import type * as CommandParts from './commandParts';
import type { CommandDeps } from './commands';
import { commandIds, type CommandId } from './commandIds';

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  let bodies: Record<CommandId, (arg?: unknown) => unknown> | undefined;
  const body = (id: CommandId) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bodies ??= (require('./commandParts') as typeof CommandParts).commandBodies(deps);
    return bodies[id];
  };
  // A caller's value (the text copied, the pair's loss, the mode chosen) is the body's.
  return commandIds.map((id) => vscode.commands.registerCommand(id, (arg?: unknown) => body(id)(arg)));
}
