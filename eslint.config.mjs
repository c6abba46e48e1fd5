// Lint: the house's rooms and what may enter them (docs/architecture.md), no import cycles, and
// typescript-eslint's recommended rules. The compiler's per-layer projects keep Node, DOM and the
// VS Code API out of the layers that must not see them; these rules keep the rooms apart.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Rooms, as folders (or single files) relative to the repository root. */
const room = {
  core: './src/core',
  kernel: './src/core/kernel',
  detection: './src/core/detection',
  analysis: './src/core/analysis',
  libraries: './src/core/libraries',
  protocol: './src/protocol',
  worker: './src/worker',
  cli: './src/cli',
  editor: './src/editor',
  panel: './src/panel',
  live: './src/live',
  util: './src/util',
  root: './src/lossInspector.ts',
  activation: './src/extension.ts',
  webview: './webview',
  tests: './test',
};

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

/** Everything in src/ and webview/ except the rooms named. */
const allBut = (...names) =>
  ['protocol', 'worker', 'cli', 'editor', 'panel', 'live', 'util', 'root', 'activation', 'webview']
    .filter((n) => !names.includes(n))
    .map((n) => room[n]);

const zones = [
  zone(room.core, [...allBut(), room.tests], 'src/core is the pure core: it imports only src/core.'),
  zone(room.kernel, [room.detection, room.analysis], 'The kernel never imports detection or analysis.'),
  zone(
    room.detection,
    [room.kernel, room.analysis],
    'Detection never runs the kernel: src/core/analysis composes them.',
  ),
  zone(room.libraries, [room.kernel, room.detection, room.analysis], 'The library rules import only src/core types.'),
  zone(
    room.detection,
    [room.libraries],
    'Detection imports the library rules’ types only: src/core/analysis computes them.',
    ['./types.ts'],
  ),
  zone(room.protocol, allBut('protocol'), 'src/protocol is plain data: it may import only src/core types.'),
  zone(room.protocol, [room.kernel, room.analysis], 'src/protocol imports the core’s public types, not the kernel.'),
  zone(room.protocol, [room.detection], 'src/protocol imports detection’s public types from its index only.', [
    './index.ts',
  ]),
  zone(room.worker, allBut('protocol', 'worker'), 'src/worker imports the core and the protocol only.'),
  zone(room.cli, allBut('cli'), 'src/cli imports the core only.'),
  // The host's rooms: siblings that never import each other, handed what they share by the root.
  ...['editor', 'panel', 'live'].flatMap((name) => [
    zone(
      room[name],
      allBut(name, 'protocol', 'util'),
      `src/${name} may import vscode, src/protocol, src/util and the core's public modules; editor, panel and live are siblings, and the worker client comes from the root object as an interface.`,
    ),
    zone(room[name], room.kernel, `src/${name} never imports kernel internals.`, ['./topK.ts']),
    zone(room[name], room.analysis, `src/${name} never runs the analysis: the worker does.`),
    zone(room[name], room.detection, `src/${name} imports detection's public types from its index only.`, [
      './index.ts',
    ]),
  ]),
  zone(room.util, allBut('util'), 'src/util is a leaf: small lifetime helpers that import nothing of the rooms.'),
  zone(room.activation, allBut('root', 'activation'), 'src/extension.ts builds the root object and nothing else.'),
  zone('./src', room.activation, 'Nothing imports the activation entry.'),
  zone(room.webview, ['./src'], 'webview/ imports only src/protocol/webview.ts.', ['./protocol/webview.ts']),
  zone('./src', room.tests, 'Sources never import tests.'),
];

/** Globals that exist only in a browser or only in Node: the pure layers use neither. */
const portable = new Set([
  ...Object.keys(globals.es2024),
  'console',
  'performance',
  'queueMicrotask',
  'setTimeout',
  'clearTimeout',
  'TextEncoder',
  'TextDecoder',
  'URL',
  'structuredClone',
  'WebAssembly',
  'AbortController',
  'AbortSignal',
  'globalThis',
]);
const hostOnlyGlobals = [...new Set([...Object.keys(globals.browser), ...Object.keys(globals.node)])]
  .filter((name) => !portable.has(name))
  .map((name) => ({ name, message: 'src/core and src/protocol run anywhere: no browser or Node globals.' }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      '.vscode-test/**',
      'test-results/**',
      'coverage/**',
      'test/fixtures/**',
      'examples/**',
      '**/*.d.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Where a value import decides what a bundle carries, say type imports as such.
    files: [
      'src/protocol/**',
      'src/worker/**',
      'src/editor/**',
      'src/panel/**',
      'src/live/**',
      'src/*.ts',
      'webview/**',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }] },
  },
  {
    // The layers without the VS Code API (the compiler says so too, for types).
    files: ['src/core/**', 'src/protocol/**', 'src/worker/**', 'src/cli/**', 'src/util/**', 'webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'Only the host (editor, panel, live, the root object) uses the VS Code API.' },
          ],
        },
      ],
    },
  },
  {
    // The layers that run anywhere: no Node modules, no browser or Node globals.
    files: ['src/core/**', 'src/protocol/**', 'webview/**'],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    files: ['src/core/**', 'src/protocol/**'],
    rules: { 'no-restricted-globals': ['error', ...hostOnlyGlobals] },
  },
  {
    // The host imports detection's index for types only: a value import would bundle detection
    // into dist/extension.js, and detection runs in the worker.
    files: ['src/editor/**', 'src/panel/**', 'src/live/**', 'src/lossInspector.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/detection', '**/core/detection/index'],
              allowTypeImports: true,
              message: 'The host takes only types from detection; detection runs in the worker.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', '*.mjs', 'scripts/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
