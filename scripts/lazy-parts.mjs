// Read by esbuild.mjs (the bundles) and test/unit/host/lazyParts.test.ts.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Parts of the extension host's code that activation does not run, each bundled into a file of its
 * own and loaded on first use. VS Code counts loading `dist/extension.js` in the activation time it
 * shows, so code there costs every start-up whether or not it runs. The host loads a part with
 * `require('<its entry, relative>')` inside a function (never `import`, which would bundle it in);
 * {@link lazyRequires} turns that require into `require('./<file>')`, resolved next to dist/extension.js.
 * A part must not share classes with the host bundle (each bundle has its own copy of a module).
 */
export const lazyParts = {
  'src/live/index.ts': 'live.js',
  'src/panel/index.ts': 'panel.js',
  'src/editor/commandParts.ts': 'commands.js',
};

/** The esbuild plugin of the host bundle that makes each part's require load the part's own file. */
export const lazyRequires = {
  name: 'lazy-parts',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const target = path.relative(repoRoot, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
      for (const [entry, file] of Object.entries(lazyParts)) {
        if (entry === target || entry === `${target}.ts` || entry === `${target}/index.ts`)
          return { path: `./${file}`, external: true };
      }
      return undefined;
    });
  },
};
