/**
 * The panel's code as the root object loads it: on first use (the view resolved, a pair revealed,
 * a live read shown), from a bundle of its own (dist/panel.js, see esbuild.mjs), so that loading
 * the extension at activation does not parse it.
 */
export { LossPanelProvider } from './lossPanelProvider';
export { PanelModel } from './panelModel';
