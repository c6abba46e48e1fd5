/**
 * What only a command runs (copying a breakdown, checking the workspace), loaded by
 * src/editor/commands.ts when such a command first runs, from a bundle of its own
 * (dist/commands.js, see esbuild.mjs): loading the extension at activation does not parse it.
 */
export { exportOfInspection, formatBreakdown } from '../core/breakdownExport';
export { checkWorkspace } from './workspaceCheck';
