/**
 * The third part of the live helper's Python source (see pythonHelper.ts, which sends the parts as
 * one text): an over-budget reduction as a job in a thread of the helper's own, which the bridge's
 * `reduce` requests wait on and its `cancel` request stops; then the table of ops `run()` dispatches to.
 *
 * Why a thread: debugpy's adapter forwards one request at a time and waits for its answer, so
 * nothing reaches the helper while an `evaluate` runs. With the work in a thread, a `reduce`
 * request waits at most its `wait` for the samples it asks for and answers with what is done, so
 * a `cancel` is served within that, and the thread stops between two blocks. The thread also
 * stops by itself when no request came for the job within the lease (the bridge gave up, the
 * editor went away) or when the paused thread is no longer suspended (the program moved on), and
 * then lets go of the program's tensors. A later request of the same job resumes it where it
 * stopped, from the sums kept at that block, so the figures are the one-shot reduction's to the bit.
 *
 * The thread is a daemon named `loss-inspector-reduce` (a name given, so the numbering of the
 * program's own threads does not move), marked as pydevd marks its own threads: the debugger
 * neither reports it to the editor nor lists it in `threading.enumerate()`. It never prints: an
 * exception is kept and becomes the next request's error. It does not call `sys.settrace` (pydevd
 * prints a warning in the Debug Console for that, seen in the UI test's screenshot).
 */
export const helperJobSource = String.raw`import threading as _threading
import time as _time

_JOB_LEASE = 2.0
_JOB_IDLE = 60.0
_MAX_JOBS = 2
_jobs = {}
_threads = []


def _suspension(frame):
    """The code of pydevd's suspension loop on this thread's stack, if the thread is suspended by it."""
    while frame is not None:
        if frame.f_code.co_name in ("_do_wait_suspend", "do_wait_suspend"):
            return frame.f_code
        frame = frame.f_back
    return None


class _Job(object):
    """Samples [start, end) of a reduction, computed block after block in a thread of the helper's."""

    def __init__(self, key, args, start, end, block, num, den):
        self.key = key
        self.args = args
        self.end = end
        self.block = block
        self.done = start
        self.sums = {start: (num, den)}
        self.terms = []
        # Every position's term as the blocks complete, for the rows with the highest loss at the
        # end; whole only for a job that started at the first sample.
        self.per = None
        self.per_from = start
        self.cancelled = False
        self.error = None
        self.seen = _time.monotonic()
        self.cond = _threading.Condition()
        self.thread = None
        self.paused = _threading.get_ident()
        self.suspend = _suspension(_sys._getframe())

    def still_paused(self):
        if self.suspend is None:
            return True
        f = _sys._current_frames().get(self.paused)
        try:
            while f is not None:
                if f.f_code is self.suspend:
                    return True
                f = f.f_back
            return False
        finally:
            del f

    def start(self):
        t = _threading.Thread(target=_job_loop, args=(self,), name="loss-inspector-reduce", daemon=True)
        t.pydev_do_not_trace = True
        t.is_pydev_daemon_thread = True
        self.thread = t
        _threads[:] = [u for u in _threads if u.is_alive()] + [t]
        t.start()

    def stop(self, timeout=5.0):
        with self.cond:
            self.cancelled = True
            t = self.thread
            self.cond.notify_all()
        if t is not None and t is not _threading.current_thread():
            t.join(timeout)
        self.args = None
        self.terms = []
        self.per = None


def _job_loop(job):
    try:
        with job.cond:
            n0 = job.done
            num, den = job.sums[n0]
            x, xd, y, w, opts, kind = job.args
            N, C, S = _rows_view(x, xd)
            if job.per is None:
                job.per = _torch().full((N * S,), float("nan"), dtype=_torch().float32)
        for b0, b1, l, num, den in _reduce_blocks(x, xd, y, w, opts, kind, n0, job.end, job.block, num, den):
            with job.cond:
                job.terms.append((b0, b1, l))
                job.per[b0 * S:b1 * S] = l
                job.sums[b1] = (num, den)
                job.done = b1
                job.cond.notify_all()
                if job.cancelled or _time.monotonic() - job.seen > _JOB_LEASE:
                    break
            if not job.still_paused():
                break
    except BaseException as e:
        job.error = str(e) if isinstance(e, _Fail) else "%s: %s" % (type(e).__name__, e)
    finally:
        x = y = w = None
        with job.cond:
            job.thread = None
            # The program's tensors go with the thread; a later request hands them over again.
            job.args = None
            job.cond.notify_all()


def _sweep_jobs():
    now = _time.monotonic()
    for key in [k for k, j in _jobs.items() if j.thread is None and now - j.seen > _JOB_IDLE]:
        _jobs.pop(key).stop()


def _job_step(key, args, N, n0, n1, block, num, den, wait):
    """Samples [n0, n1) of the job, or what of them is done within wait seconds: (terms, reached,
    num, den, per), reached a block boundary, per every position's term once the job is complete
    from its first sample (else None). A job that is new, or asked from where it does not stand,
    starts at n0 from the sums given."""
    _sweep_jobs()
    job = _jobs.get(key)
    if job is None or job.block != block or n0 not in job.sums or job.cancelled:
        if job is not None:
            job.stop()
        job = _Job(key, args, n0, N, block, num, den)
        _jobs[key] = job
        while len(_jobs) > _MAX_JOBS:
            oldest = min(_jobs.values(), key=lambda j: j.seen)
            _jobs.pop(oldest.key).stop()
    deadline = _time.monotonic() + max(0.0, wait)
    with job.cond:
        job.seen = _time.monotonic()
        if job.thread is None and job.error is None and job.done < job.end:
            job.args = args
            job.start()
        while job.done < n1 and job.thread is not None and job.error is None:
            left = deadline - _time.monotonic()
            if left <= 0:
                break
            job.cond.wait(left)
        if job.error is not None:
            error = job.error
            _jobs.pop(key, None)
            raise _Fail(error)
        reached = n1 if job.done >= n1 and n1 in job.sums else job.done
        num, den = job.sums[reached]
        terms = [l for b0, b1, l in job.terms if n0 <= b0 and b1 <= reached]
        # What the bridge has now is dropped; the sums at n0 stay, should the reply be lost.
        job.terms = [e for e in job.terms if e[0] >= n0]
        for k in [k for k in job.sums if k < n0]:
            del job.sums[k]
        job.seen = _time.monotonic()
    per = None
    if reached >= job.end:
        per = job.per if job.per_from == 0 else None
        _jobs.pop(key, None)
        job.stop()
    return terms, reached, num, den, per


def _top_positions(per, k):
    """The k positions of the highest terms, highest first, ties the earlier position first, NaN
    counting as highest: the order the bridge's topIndices gives, so that it can check the rows."""
    t = _torch()
    k = min(int(k), int(per.numel()))
    if k <= 0:
        return []
    inf = float("inf")
    with t.no_grad():
        key = t.nan_to_num(per.double(), nan=inf, posinf=inf, neginf=-inf)
        kth = key.topk(k).values[-1]
        cand = (key >= kth).nonzero().flatten()
        order = key[cand].sort(descending=True, stable=True).indices
        return cand[order][:k].tolist()


def op_reduce(frame, req):
    """One step of a reduction in the program: samples [from, to) (whole blocks), with the float64
    sums carried on from the previous step, so the last step's sums are the one-shot reduction's.
    With a job key, the samples are computed by the job's thread and the step answers with what is
    done within its wait (to may then be short of what was asked)."""
    crit = _criterion(frame, req)
    x = _resolve(frame, req["input"])
    y = _resolve(frame, req["target"])
    xd = _tensor_or_fail(x, req["input"].get("text", "the input"))
    yd = _tensor_or_fail(y, req["target"].get("text", "the target"))
    _check_reducible(xd, yd)
    opts, _ = _options(frame, req, crit)
    w = opts.pop("weight")
    N, C, S = _rows_view(x, xd)
    n0 = max(0, int(req["from"]))
    n1 = min(N, int(req["to"]))
    block = _block_of(C, S, req)
    num = float(req.get("num", 0.0))
    den = float(req.get("den", 0.0))
    t = _torch()
    if req.get("job") is None or n1 <= n0:
        per, num, den = _reduce_range(x, xd, y, w, opts, crit["kind"], n0, n1, block, num, den)
    else:
        args = (x, xd, y, w, opts, crit["kind"])
        terms, n1, num, den, whole = _job_step(str(req["job"]), args, N, n0, n1, block, num, den,
                                               float(req.get("wait", 0.25)))
        with t.no_grad():
            per = t.cat(terms) if terms else t.zeros(0)
    out = {"from": n0, "to": n1, "numerator": _num(num), "denominator": _num(den),
           "losses": _package([("losses", "f4", [int(per.numel())], _as_bytes(per, "f4"))], 1 << 62)}
    if n1 >= N:
        out["loss"] = _num(_batch_loss(opts, num, den))
        if req.get("job") is not None and whole is not None and int(req.get("topK", 0)) > 0:
            # The last step carries the rows with the highest loss (those the bridge has not read):
            # one request fewer, and no second resolution of the input.
            seen = set(int(p) for p in req.get("seen", []))
            top = [p for p in _top_positions(whole, req["topK"]) if p not in seen]
            out["top"] = top
            out["rows"] = _rows_package(x, xd, y, top, bool(req.get("half")), int(req.get("inline", 1 << 20)))
    return out


def op_cancel(frame, req):
    """Stops a job (every job without a key) and drops its state; answers where each stopped."""
    keys = list(_jobs) if req.get("job") is None else [str(req["job"])]
    stopped = []
    for key in keys:
        job = _jobs.pop(key, None)
        if job is not None:
            job.stop()
            stopped.append({"job": key, "done": job.done, "of": job.end,
                            "running": job.thread is not None and job.thread.is_alive()})
    return {"stopped": stopped}


def op_jobs(frame, req):
    """What the helper holds: its jobs, its threads still running, its kept buffers (for the tests)."""
    _threads[:] = [t for t in _threads if t.is_alive()]
    return {"jobs": sorted(_jobs), "threads": len(_threads), "transfers": len(_transfers)}


_OPS = {
    "ping": op_ping,
    "prepare": op_prepare,
    "rows": op_rows,
    "reduce": op_reduce,
    "cancel": op_cancel,
    "jobs": op_jobs,
    "chunk": op_chunk,
    "release": op_release,
    "locals": op_locals,
}
`;
