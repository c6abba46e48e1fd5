/** The commands whose bodies are in ./commands.ts (dist/commands.js), registered at activation by ./commandLoader.ts. */
export const commandIds = [
  'lossInspector.inspectPairAtCursor',
  'lossInspector.openPair',
  'lossInspector.copyAsPyTorch',
  'lossInspector.inspectSelection',
  'lossInspector.showPanel',
  'lossInspector.toggleInlineValues',
  'lossInspector.chooseDtype',
  'lossInspector.copyBreakdown',
  'lossInspector.checkWorkspaceClaims',
] as const;

export type CommandId = (typeof commandIds)[number];
