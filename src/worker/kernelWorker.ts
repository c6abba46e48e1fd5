/**
 * The kernel worker's entry point, bundled to dist/worker.js. The host starts it with
 * `new Worker(path.join(__dirname, 'worker.js'))` through {@link ../worker/kernelClient}.
 * It passes every message from `parentPort` to {@link KernelService}, which checks it, runs
 * the core kernel, and posts the reply with its result buffers in the transfer list.
 * An exception inside a request becomes an `error` reply. A crash or out-of-memory kill ends
 * the thread, and the host then reports `worker_crashed` and starts a fresh worker.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { KernelService } from './kernelService';

if (isMainThread || !parentPort) {
  // Loaded by mistake as a script or module: there is nothing to serve.
  process.stderr.write('kernelWorker: this file runs inside a worker_threads Worker (see kernelClient.ts)\n');
} else {
  const port = parentPort;
  const service = new KernelService((reply, transfer) => port.postMessage(reply, transfer), {
    yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)),
  });
  port.on('message', (data: unknown) => {
    void service.handle(data);
  });
}
