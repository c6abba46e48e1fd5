/**
 * The webview entry (bundled to dist/webview.js): registers the @vscode-elements components the
 * panel uses, one import each so the bundle carries only those, and starts the app.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { startApp } from './app';

const root = document.getElementById('app');
if (root) startApp(root);
