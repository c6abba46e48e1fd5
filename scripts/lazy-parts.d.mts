// Types of lazy-parts.mjs for the TypeScript that imports it (test/unit/host/lazyParts.test.ts).
import type { Plugin } from 'esbuild';

/** Entry (repository-relative source path) → file in dist/ it is bundled into. */
export declare const lazyParts: Record<string, string>;
/** The host bundle's esbuild plugin that keeps each part's require external. */
export declare const lazyRequires: Plugin;
