/**
 * The worker's entry point, bundled to dist/worker.js. The host starts it with
 * `new Worker(path.join(__dirname, 'worker.js'), { workerData: { cancel } })` through
 * {@link ./workerClient}. It says `ready` once loaded, then passes every message from
 * `parentPort` to {@link WorkerService}, which checks it, runs it and posts the reply. `cancel`
 * is the shared Int32Array the host writes the `req` it gives up on into (see src/protocol/worker.ts).
 * A crash or out-of-memory kill ends the thread; the host reports `worker_crashed` and starts a
 * fresh worker.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply } from '../protocol/worker';
import { installRowPool } from './rowPool';
import { warmUpTask } from './warmUp';
import { WorkerService } from './workerService';

if (isMainThread || !parentPort) {
  // Loaded by mistake as a script or module: there is nothing to serve.
  process.stderr.write('workerMain: this file runs inside a worker_threads Worker (see workerClient.ts)\n');
} else {
  // Large inputs' rows split across the other cores (helpers start on the first such job).
  installRowPool();
  const port = parentPort;
  const shared = (workerData as { cancel?: unknown } | null)?.cancel;
  const cancel = shared instanceof Int32Array ? shared : null;
  const service = new WorkerService((reply, transfer) => port.postMessage(reply, transfer), {
    isCancelled: cancel ? (req) => Atomics.load(cancel, 0) === req : () => false,
    // The panel's code optimised by V8 before the first big pair needs it (warmUp.ts).
    warmUp: warmUpTask,
  });
  port.on('message', (data: unknown) => service.handle(data));
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
}
