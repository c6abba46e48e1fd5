/**
 * The debug-session bridge: explains the loss of a program paused in the debugger. The host
 * (src/lossInspector.ts) wires it to VS Code; everything here talks to a session only through
 * {@link DebugSessionLike}, so tests drive real debug adapters with the same code.
 */
export { LiveInspector } from './liveHost';
export { LiveHoverProvider } from './liveHover';
export { filePath, inspectLive, sessionLanguage, pythonSessionTypes, javascriptSessionTypes } from './bridge';
export type { InspectLiveOptions, LiveSource } from './bridge';
export { findLossCall, findLossCallNear, lossCallsInBlock, parsePlainExpression } from './lossCall';
export type { LossCall, PlainExpr, LiveLanguage } from './lossCall';
export { readPythonRows } from './python';
export {
  LiveError,
  SessionState,
  resolveFrame,
  staleFrameMessage,
  liveErrorDetailIds,
  type DebugSessionLike,
  type CancelToken,
  type FocusedFrame,
  type LiveFrame,
  type LiveErrorCode,
  type LiveErrorDetail,
  type TransferProgress,
} from './session';
export { defaultBudgetBytes, defaultChunkBytes } from './transfer';
export type { LiveMeta, LiveOutcome, LiveTensorInfo, ProgramLoss, ReducedInfo, TensorLocal } from './types';
