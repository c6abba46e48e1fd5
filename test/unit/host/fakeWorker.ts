/**
 * A worker client for host-class tests: it records each request and answers when the test says
 * so, either with a value it is given or by running the real in-process worker service.
 */
import type {
  Outcome,
  ParamsOf,
  RequestOptions,
  ResultOf,
  WorkerMethod,
  WorkerRequester,
} from '../../../src/protocol/worker';
import { AnalysisService } from '../../../src/worker/analysisService';
import { toErrorInfo } from '../../../src/core/errors';

export interface Call<M extends WorkerMethod = WorkerMethod> {
  method: M;
  params: ParamsOf<M>;
  options: RequestOptions | undefined;
  /** Answers with what the in-process service computes for these params. */
  run(): void;
  /** Answers with an error value. */
  fail(code: 'cancelled' | 'invalid_request' | 'worker_crashed' | 'deadline_exceeded', message?: string): void;
  settled: boolean;
}

export class FakeWorker implements WorkerRequester {
  readonly calls: Call[] = [];
  readonly service = new AnalysisService();
  /** Answer every request at once with the service (no manual stepping). */
  auto = false;

  request<M extends WorkerMethod>(
    method: M,
    params: ParamsOf<M>,
    options?: RequestOptions,
  ): Promise<Outcome<ResultOf<M>>> {
    return new Promise((resolve) => {
      const call: Call<M> = {
        method,
        params,
        options,
        settled: false,
        run: () => {
          if (call.settled) return;
          call.settled = true;
          try {
            const value = (this.service[method] as (p: ParamsOf<M>) => ResultOf<M>).call(this.service, params);
            resolve({ ok: true, value });
          } catch (err) {
            resolve({ ok: false, error: toErrorInfo(err) });
          }
        },
        fail: (code, message = code) => {
          if (call.settled) return;
          call.settled = true;
          resolve({ ok: false, error: { code, message } });
        },
      };
      this.calls.push(call as unknown as Call);
      if (this.auto) call.run();
    });
  }

  /** The requests of one method, oldest first. */
  of<M extends WorkerMethod>(method: M): Call<M>[] {
    return this.calls.filter((c) => c.method === method) as unknown as Call<M>[];
  }
}

/** Lets timers of 0 ms and pending promise callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
