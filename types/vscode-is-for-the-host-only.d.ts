// Layers without the VS Code API (src/core, src/protocol, src/worker, src/cli, webview/) map the
// module 'vscode' to this file in their tsconfig.json `paths`. It is a script, not a module, so
// `import … from 'vscode'` there fails with "File '…/vscode-is-for-the-host-only.d.ts' is not a
// module." Only the host (src/editor, src/panel, src/live, src/lossInspector.ts, src/extension.ts)
// sees the real API. See docs/architecture.md.
