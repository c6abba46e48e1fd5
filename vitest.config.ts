import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Three projects: the webview's tests run in happy-dom (the DOM) and everything else in plain
// Node, so no DOM global leaks into tests of the core, the worker or the host; host classes
// (src/editor, src/panel) are tested in Node with the `vscode` module replaced by a small
// stand-in (test/unit/host/vscode.ts). The real API is the integration suite's.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/webview/**', 'test/unit/host/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        resolve: { alias: { vscode: resolve(__dirname, 'test/unit/host/vscode.ts') } },
        test: {
          name: 'host',
          include: ['test/unit/host/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'webview',
          include: ['test/unit/webview/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
