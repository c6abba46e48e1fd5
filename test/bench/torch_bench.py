#!/usr/bin/env python3
"""PyTorch CPU single-thread side of `npm run bench` (test/bench/main.ts).

One process serves the whole run over a line protocol, so torch is imported and its thread pool
set up once, and the Node side can interleave torch rounds with its own:

  stdout on start:  "ready <torch version> <threads>"   or   "absent <reason>"
  "load <key> <N> <C> <dtype> <input.bin> <target.bin>"
                    reads the Node side's data (raw little-endian float64, the input and the class
                    indices), converts it to the dtype and runs one call
                 →  "ok <loss as repr>"
  "round <key> <seconds>"
                    calls F.cross_entropy(x, t) repeatedly for at least <seconds>
                 →  "<calls> <elapsed seconds> <cpu seconds>"   (time.perf_counter around whole
                    batches; time.process_time for the process's CPU time meanwhile)
  "drop <key>"   →  "ok"
  "quit"            exits
Errors are answered with "error <message>" on one line.
"""
import sys
import time


def main() -> None:
    try:
        import torch
        import torch.nn.functional as F
    except Exception as exc:  # torch missing or broken: the column is marked absent
        print(f"absent {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
        return
    # Single-thread torch, both the intra-op pool and the inter-op pool.
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_grad_enabled(False)
    print(f"ready {torch.__version__} {torch.get_num_threads()}", flush=True)

    dtypes = {"float32": torch.float32, "float64": torch.float64}
    cases = {}
    # Calls per timed batch, calibrated per case so a batch lasts ~1 ms and the clock is read
    # rarely compared with the work for tiny inputs.
    batches = {}

    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd = parts[0]
        try:
            if cmd == "quit":
                break
            if cmd == "load":
                key, n, c, dtype, xpath, tpath = parts[1], int(parts[2]), int(parts[3]), parts[4], parts[5], parts[6]
                x64 = torch.from_file(xpath, shared=False, size=n * c, dtype=torch.float64)
                t64 = torch.from_file(tpath, shared=False, size=n, dtype=torch.float64)
                x = x64.reshape(n, c).to(dtypes[dtype]).contiguous()
                t = t64.to(torch.int64)
                del x64, t64
                cases[key] = (x, t)
                loss = F.cross_entropy(x, t)
                # Calibrate the batch size on a few calls.
                k = 1
                while True:
                    t0 = time.perf_counter()
                    for _ in range(k):
                        F.cross_entropy(x, t)
                    el = time.perf_counter() - t0
                    if el >= 1e-3 or k >= 1 << 16:
                        break
                    k *= 2
                batches[key] = k
                print(f"ok {loss.item()!r}", flush=True)
            elif cmd == "round":
                key, seconds = parts[1], float(parts[2])
                x, t = cases[key]
                k = batches[key]
                f = F.cross_entropy
                calls = 0
                c0 = time.process_time()
                t0 = time.perf_counter()
                while True:
                    for _ in range(k):
                        f(x, t)
                    calls += k
                    el = time.perf_counter() - t0
                    if el >= seconds:
                        break
                print(f"{calls} {el!r} {time.process_time() - c0!r}", flush=True)
            elif cmd == "drop":
                cases.pop(parts[1], None)
                batches.pop(parts[1], None)
                print("ok", flush=True)
            else:
                print(f"error unknown command {cmd}", flush=True)
        except Exception as exc:
            print(f"error {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
