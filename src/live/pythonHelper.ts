/**
 * The Python side of live inspection: source of a helper module that the bridge installs once into
 * a paused debuggee, and the two expressions that install and call it. The source is sent as one
 * text: this file holds its first part (reading and packing a pair), pythonHelperTransfer.ts reads too
 * big to send whole, pythonHelperJob.ts the reduction's job and the table of ops.
 *
 * Contract with the debuggee:
 * - The helper lives in a fresh module object registered as `sys.modules[helperModuleName]`. It
 *   never writes to the user's globals, locals or builtins, never prints, never draws a random
 *   number, and imports only the standard library (torch and numpy are used only when the
 *   program already imported them: `sys.modules.get`).
 * - Every call is `run(json_text)` and returns JSON text, so pydevd never has to `repr` a tensor.
 *   Replies are `{"v": 1, "ok": true, …}` or `{"v": 1, "ok": false, "error": "…"}`.
 * - User expressions arrive parsed (a root name, attribute / literal-subscript steps and a short
 *   list of whitelisted tensor methods with integer arguments); the helper walks them with
 *   getattr / [] on the frame's own variables and never calls `eval` on text.
 * - Tensors are sliced first, then detached, converted on their device, moved to the CPU and made
 *   contiguous; bytes come back base64-encoded, in chunks the bridge asks for.
 */

import { helperJobSource } from './pythonHelperJob';
import { helperTransferSource } from './pythonHelperTransfer';

/** Bumped whenever the helper's protocol changes: a new version installs under a new module name. */
export const helperVersion = 1;

export const helperSource =
  String.raw`
import sys as _sys
import json as _json
import base64 as _b64
import zlib as _zlib

VERSION = 1
_MAX_KEPT = 2
_transfers = {}
_counter = [0]


class _Fail(Exception):
    """A message meant for the user, shown without a traceback."""


def run(text):
    frame = _sys._getframe(1)
    _quick_replies()
    try:
        req = _json.loads(text)
        fn = _OPS.get(req.get("op"))
        if fn is None:
            raise _Fail("unknown helper operation %r" % (req.get("op"),))
        out = fn(frame, req)
        out["v"] = VERSION
        out["ok"] = True
    except _Fail as e:
        out = {"v": VERSION, "ok": False, "error": str(e)}
    except Exception as e:
        out = {"v": VERSION, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    finally:
        del frame
    return _json.dumps(out, allow_nan=False, separators=(",", ":"))


def _quick_replies():
    """pydevd writes each message to the debug adapter in two sends, its header and then its body,
    on a TCP socket with Nagle's algorithm on: the body waits until the adapter acknowledges the
    header, which the adapter's system delays (40 ms on Linux), so every answer of the debugger
    came 40 ms late (debugpy 1.6.6, still so in 1.8: microsoft/debugpy#2054). With TCP_NODELAY
    on that socket the body goes at once. Only how the debugger's own messages are sent changes,
    nothing of the program; an answer already being written is not affected. True when the
    debugger's socket has it (set now or before), False when there is no such socket."""
    try:
        d = _sys.modules.get("pydevd")
        db = d.GetGlobalDebugger() if d is not None else None
        s = getattr(getattr(db, "writer", None), "sock", None)
        so = _sys.modules.get("socket")
        if s is None or so is None or not isinstance(s, so.socket):
            return False
        if s.type != so.SOCK_STREAM or s.family not in (so.AF_INET, so.AF_INET6):
            return False
        if not s.getsockopt(so.IPPROTO_TCP, so.TCP_NODELAY):
            s.setsockopt(so.IPPROTO_TCP, so.TCP_NODELAY, 1)
        return True
    except Exception:
        return False


def _num(x):
    x = float(x)
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return x


def _torch():
    return _sys.modules.get("torch")


def _numpy():
    return _sys.modules.get("numpy")


def _is_tensor(v):
    t = _torch()
    return t is not None and isinstance(v, t.Tensor)


def _is_ndarray(v):
    n = _numpy()
    return n is not None and isinstance(v, n.ndarray)


_MISSING = object()


def _lookup(frame, name):
    v = frame.f_locals.get(name, _MISSING)
    if v is _MISSING:
        v = frame.f_globals.get(name, _MISSING)
    if v is _MISSING:
        raise _Fail("'%s' is not defined in this frame" % name)
    return v


_INT_OPS = {"size"}
_TENSOR_OPS = {
    "view", "reshape", "flatten", "contiguous", "float", "double", "long", "squeeze",
    "unsqueeze", "transpose", "permute", "t", "detach", "size",
}


def _resolve(frame, e, text=None):
    """Walks a parsed plain expression: {"root", "steps": [["attr"|"item", key]], "ops"}."""
    text = e.get("text") or text or e["root"]
    v = _lookup(frame, e["root"])
    for kind, key in e.get("steps", []):
        try:
            if kind == "attr":
                v = getattr(v, key)
            elif kind == "item":
                v = v[key]
            else:
                raise _Fail("unknown step %r" % (kind,))
        except _Fail:
            raise
        except Exception as err:
            raise _Fail("%s: reading %s failed: %s: %s" % (text, _step_text(kind, key), type(err).__name__, err))
    for name, args in e.get("ops", []):
        if name not in _TENSOR_OPS:
            raise _Fail("%s: .%s() is not one of the tensor methods the inspector applies" % (text, name))
        t = _torch()
        if t is None or type(v) not in (t.Tensor, t.nn.Parameter):
            raise _Fail("%s: .%s() is applied only to a torch.Tensor (this is %s)" % (text, name, _type_name(v)))
        vals = [_int_arg(frame, a, text) for a in args]
        v = getattr(v, name)(*vals)
    return v


def _step_text(kind, key):
    return ".%s" % key if kind == "attr" else "[%r]" % (key,)


def _int_arg(frame, a, text):
    if isinstance(a, dict):
        a = _resolve(frame, a)
    if type(a) is bool or not isinstance(a, int):
        t = _torch()
        if t is not None and isinstance(a, getattr(t, "SymInt", ())):
            return a
        raise _Fail("%s: a method argument is not an integer (%s)" % (text, _type_name(a)))
    return a


def _type_name(v):
    c = type(v)
    m = getattr(c, "__module__", "")
    return c.__name__ if m in ("builtins", "") else "%s.%s" % (m, c.__name__)


def _describe(v):
    if _is_tensor(v):
        return {
            "kind": "torch",
            "shape": list(v.shape),
            "dtype": str(v.dtype).replace("torch.", ""),
            "device": str(v.device),
            "requiresGrad": bool(v.requires_grad),
            "contiguous": bool(v.is_contiguous()),
            "numel": int(v.numel()),
        }
    if _is_ndarray(v):
        return {
            "kind": "numpy",
            "shape": list(v.shape),
            "dtype": str(v.dtype),
            "device": "cpu",
            "requiresGrad": False,
            "contiguous": bool(v.flags["C_CONTIGUOUS"]),
            "numel": int(v.size),
        }
    return None


def _tensor_or_fail(v, what):
    d = _describe(v)
    if d is None:
        raise _Fail("%s is a %s, not a tensor" % (what, _type_name(v)))
    return d


_FLOAT = ("float32", "float64", "bfloat16", "float16", "half")


def _wire_dtype(dtype, half=False):
    """The dtype a floating array travels in: float64 stays, everything narrower becomes float32,
    except that with half bfloat16 and float16 travel as they are (half the bytes; the bridge
    widens them exactly)."""
    if half and dtype == "bfloat16":
        return "b2"
    if half and dtype == "float16":
        return "f2"
    return "f8" if dtype == "float64" else "f4"


def _as_bytes(v, wire):
    """Detach, convert on the array's own device, then move to the CPU, contiguous, little-endian."""
    if _is_tensor(v):
        t = _torch()
        target = {"f4": t.float32, "f8": t.float64, "i8": t.int64, "b2": t.bfloat16, "f2": t.float16}[wire]
        with t.no_grad():
            x = v.detach()
            if x.is_conj():
                x = x.resolve_conj()
            if x.dtype != target:
                x = x.to(dtype=target)
            x = x.to("cpu").contiguous()
            if wire == "b2":
                # numpy has no bfloat16: the same 16 bits, read as integers.
                return x.view(t.int16).numpy().astype("<i2", copy=False).tobytes()
            return x.numpy().astype("<" + wire, copy=False).tobytes()
    n = _numpy()
    return n.ascontiguousarray(v, dtype="<" + wire).tobytes()


_CE = ("CrossEntropyLoss", "cross_entropy")
_NLL = ("NLLLoss", "nll_loss")


def _criterion(frame, req):
    """What the call's callee is. Only torch's own cross-entropy and NLL are accepted."""
    c = req.get("callee")
    if c is None:
        return {"kind": "logits", "source": "none"}
    t = _torch()
    F = t and getattr(getattr(t, "nn", None), "functional", None)
    if c.get("constructor"):
        v = _resolve(frame, c["constructor"])
        if t is not None and v is t.nn.CrossEntropyLoss:
            return {"kind": "logits", "source": "constructor", "name": "CrossEntropyLoss"}
        if t is not None and v is t.nn.NLLLoss:
            return {"kind": "log_probs", "source": "constructor", "name": "NLLLoss"}
        raise _Fail("%s is not torch.nn.CrossEntropyLoss or NLLLoss" % c["constructor"].get("text"))
    v = _resolve(frame, c)
    if F is not None and v is F.cross_entropy:
        return {"kind": "logits", "source": "functional", "name": "cross_entropy"}
    if F is not None and v is F.nll_loss:
        return {"kind": "log_probs", "source": "functional", "name": "nll_loss"}
    if t is not None and isinstance(v, t.nn.CrossEntropyLoss):
        out = {"kind": "logits", "source": "module", "name": type(v).__name__}
        out["object"] = v
        return out
    if t is not None and isinstance(v, t.nn.NLLLoss):
        out = {"kind": "log_probs", "source": "module", "name": type(v).__name__}
        out["object"] = v
        return out
    raise _Fail(
        "%s is a %s, not torch's cross-entropy (nn.CrossEntropyLoss, nn.NLLLoss, F.cross_entropy or F.nll_loss)"
        % (c.get("text"), _type_name(v))
    )


def _option_value(frame, spec):
    if spec is None:
        return None
    if "literal" in spec:
        return spec["literal"]
    return _resolve(frame, spec)


def _options(frame, req, crit):
    """Options from the live criterion object, else the call's keywords, else torch's defaults."""
    opts = {"weight": None, "ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0}
    sources = {}
    obj = crit.pop("object", None)
    if obj is not None:
        opts["weight"] = getattr(obj, "weight", None)
        opts["ignore_index"] = int(getattr(obj, "ignore_index", -100))
        opts["reduction"] = str(getattr(obj, "reduction", "mean"))
        opts["label_smoothing"] = float(getattr(obj, "label_smoothing", 0.0))
        for k in opts:
            sources[k] = "criterion"
    kw = req.get("keywords") or {}
    legacy = {}
    for k, spec in kw.items():
        v = _option_value(frame, spec)
        if k in ("size_average", "reduce"):
            legacy[k] = v
            continue
        if k not in opts:
            continue
        opts[k] = v
        sources[k] = "call"
    if any(v is not None for v in legacy.values()):
        t = _torch()
        opts["reduction"] = t.nn._reduction.legacy_get_string(legacy.get("size_average"), legacy.get("reduce"))
        sources["reduction"] = "call"
    w = opts["weight"]
    if w is not None and _describe(w) is None:
        raise _Fail("weight is a %s, not a tensor" % _type_name(w))
    if type(opts["ignore_index"]) is bool or not isinstance(opts["ignore_index"], int):
        try:
            opts["ignore_index"] = int(opts["ignore_index"])
        except Exception:
            raise _Fail("ignore_index is not an integer")
    if opts["reduction"] not in ("mean", "sum", "none"):
        raise _Fail("%r is not a valid value for reduction" % (opts["reduction"],))
    try:
        opts["label_smoothing"] = float(opts["label_smoothing"])
    except Exception:
        raise _Fail("label_smoothing is not a number")
    return opts, sources


def _program_loss(frame, req):
    spec = req.get("programLoss")
    if spec is None:
        return None
    try:
        v = _resolve(frame, spec)
    except _Fail:
        return None
    if _is_tensor(v) and v.numel() == 1:
        return {"value": _num(v.detach().float().item()), "dtype": str(v.dtype).replace("torch.", ""),
                "device": str(v.device), "shape": list(v.shape), "text": spec.get("text")}
    if isinstance(v, float):
        return {"value": _num(v), "dtype": "float", "device": "cpu", "shape": [], "text": spec.get("text")}
    return None


def _keep(blob):
    _counter[0] += 1
    tid = _counter[0]
    _transfers[tid] = blob
    while len(_transfers) > _MAX_KEPT:
        del _transfers[min(_transfers)]
    return tid


def _package(parts, inline_limit):
    """Concatenates parts into one buffer; small buffers travel inline, larger ones are kept for chunks."""
    layout = []
    off = 0
    for name, wire, shape, data in parts:
        layout.append({"name": name, "wire": wire, "shape": shape, "offset": off, "bytes": len(data)})
        off += len(data)
    blob = b"".join(p[3] for p in parts)
    out = {"layout": layout, "bytes": len(blob), "crc32": _zlib.crc32(blob) & 0xFFFFFFFF}
    if len(blob) <= inline_limit:
        out["data"] = _b64.b64encode(blob).decode("ascii")
    else:
        out["id"] = _keep(blob)
    return out


def _check_pair(x, xd, y, yd, kind):
    if xd["dtype"] not in _FLOAT:
        raise _Fail("the input is %s; cross-entropy needs a floating-point input" % xd["dtype"])
    if len(xd["shape"]) == 0:
        raise _Fail("the input is a scalar; cross-entropy needs (C), (N, C) or (N, C, d1, ...)")


def _target_wire(yd):
    return "i8" if not (yd["dtype"] in _FLOAT) else _wire_dtype(yd["dtype"])


def op_ping(frame, req):
    return {"python": list(_sys.version_info[:3]), "torch": getattr(_torch(), "__version__", None),
            "numpy": getattr(_numpy(), "__version__", None), "quickReplies": _quick_replies()}


def op_prepare(frame, req):
    crit = _criterion(frame, req)
    x = _resolve(frame, req["input"])
    y = _resolve(frame, req["target"])
    xd = _tensor_or_fail(x, req["input"].get("text", "the input"))
    yd = _tensor_or_fail(y, req["target"].get("text", "the target"))
    _check_pair(x, xd, y, yd, crit["kind"])
    opts, sources = _options(frame, req, crit)
    w = opts.pop("weight")
    wd = _describe(w) if w is not None else None
    out = {
        "criterion": crit,
        "input": xd,
        "target": yd,
        "weight": wd,
        "options": opts,
        "optionSources": sources,
        "programLoss": _program_loss(frame, req),
    }
    xwire = _wire_dtype(xd["dtype"])
    xin = _wire_dtype(xd["dtype"], bool(req.get("half")))
    budget = int(req.get("budget", 16 << 20))
    inline = int(req.get("inline", 1 << 20))
    if xd["numel"] * (8 if xwire == "f8" else 4) <= budget:
        parts = [("input", xin, xd["shape"], _as_bytes(x, xin)),
                 ("target", _target_wire(yd), yd["shape"], _as_bytes(y, _target_wire(yd)))] + _weight_part(w, xd)
        out["mode"] = "full"
        out["transfer"] = _package(parts, inline)
        first = int(req.get("first", 0))
        if first > 0 and out["transfer"].get("data") is None and _can_reduce(xd, yd):
            out["first"] = _first_paint(x, xd, y, yd, w, opts, crit["kind"], first, bool(req.get("half")))
        return out
    out["mode"] = "reduced"
    look = req.get("look")
    if look is not None:
        # A progressive read: the rows looked at now, the reduction in steps the bridge asks for.
        out["steps"] = _steps_first(x, xd, y, yd, w, opts, crit["kind"], [int(p) for p in look],
                                    bool(req.get("half")), req)
        if req.get("job") is not None:
            # The job starts now: the program computes while the first rows cross and are drawn.
            N, C, S = _rows_view(x, xd)
            _job_step(str(req["job"]), (x, xd, y, w, opts, crit["kind"]), N, 0, 0, out["steps"]["block"], 0.0, 0.0, 0)
        return out
    N, C, S = _rows_view(x, xd)
    out["reduced"] = _reduce(x, xd, y, yd, w, opts, crit["kind"], int(req.get("topK", 8)), inline,
                             _block_of(C, S, req))
    return out


` +
  helperTransferSource +
  helperJobSource;

/** A name no program would use, tied to this helper's text so that an edited helper installs anew. */
export const helperModuleName = `_loss_inspector_live_v${helperVersion}_${fnv1a(helperSource)}`;

/**
 * One expression that installs the helper if this process does not have it yet and answers
 * "installed" or "present". Only `__import__` is looked up by name (a program that redefines
 * `__import__` is not supported); `builtins.exec` runs the source in the new module's own
 * namespace, so nothing lands in the frame.
 */
export function installExpression(): string {
  const name = JSON.stringify(helperModuleName);
  const src = JSON.stringify(helperSource);
  return (
    `(lambda s, t, b: "present" if s.modules.get(${name}) is not None else ` +
    `(lambda m: (b.exec(${src}, m.__dict__), s.modules.__setitem__(${name}, m), "installed")[-1])` +
    `(t.ModuleType(${name})))` +
    `(__import__("sys"), __import__("types"), __import__("builtins"))`
  );
}

/** The expression for one helper call; `request` is serialised to JSON, itself written as a Python string. */
export function callExpression(request: unknown): string {
  return `__import__("sys").modules[${JSON.stringify(helperModuleName)}].run(${JSON.stringify(JSON.stringify(request))})`;
}

/** A short hash of a helper's source, for the name it is installed under (FNV-1a, 32 bits). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
