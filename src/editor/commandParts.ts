/**
 * What only a command runs: the commands' bodies (./commands.ts), with the breakdown export and the
 * workspace check. ./commandLoader.ts loads it when a command first runs, from a bundle of its own
 * (dist/commands.js, see esbuild.mjs): loading the extension at activation does not parse it.
 */
export { commandBodies } from './commands';
