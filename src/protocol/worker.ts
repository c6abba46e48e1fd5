/**
 * The wire between the extension host ({@link ../worker/workerClient}) and its one analysis
 * worker ({@link ../worker/workerMain}). Every message that crosses that boundary is declared
 * in the modules this file re-exports (listed below), and both sides import this file.
 *
 * - The host asks; the worker answers. {@link WorkerMethods} maps each method to its params and
 *   result; a request is `{ type: 'request', req, method, params }` and gets exactly one reply
 *   with the same `req`: `{ type: 'result', req, method, result }` or `{ type: 'error', req, error }`.
 * - A fresh worker says `{ type: 'ready' }` once its code has loaded. The host starts a request's
 *   deadline clock when the worker can start it (on `ready` for a new worker), never at spawn.
 * - Cancellation does not travel as a message: the host and the worker share a small
 *   `SharedArrayBuffer` ({@link cancelSlots}); the host writes the `req` it gives up on, and the
 *   worker reads it at statement boundaries and stops that request with a `cancelled` error.
 * - Typed arrays in results travel in the transfer list, never structured-cloned.
 * - Everything that arrives is checked with {@link workerRequestProblem} / {@link workerReplyProblem}
 *   before use; a malformed message is dropped with a logged warning.
 * - To add a method: add it to {@link WorkerMethods}, add its params and result checks to the two
 *   tables of ./workerGuards.ts, and implement it in ../worker/workerService.ts. The compiler then
 *   insists that both tables and the worker's handler table cover it.
 *
 * The declarations live by concern: ./workerMethods.ts (params and results), ./wireSample.ts,
 * ./workerMessages.ts (envelopes and the requester) and ./workerGuards.ts; this file re-exports
 * them. Only type imports from src/core's public types (src/core/types, src/core/detection's
 * index) are allowed in them, so they stay plain data.
 */
export * from './workerMethods';
export * from './wireSample';
export * from './workerMessages';
export * from './workerGuards';
export * from './hops';
