import { defineConfig } from 'vitest/config';

// Two projects with two environments, as the type checks have two programs: the webview's tests
// run in happy-dom (the DOM), everything else in plain Node, so no DOM global leaks into tests
// of the core, the worker or the host.
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
          exclude: ['test/unit/webview/**'],
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
