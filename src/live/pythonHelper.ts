/**
 * The Python side of live inspection: source of a helper module that the bridge installs once into
 * a paused debuggee, and the two expressions that install and call it.
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

/** Bumped whenever the helper's protocol changes: a new version installs under a new module name. */
export const helperVersion = 1;

export const helperSource = String.raw`
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
            "numpy": getattr(_numpy(), "__version__", None)}


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
                 ("target", _target_wire(yd), yd["shape"], _as_bytes(y, _target_wire(yd)))]
        if w is not None:
            parts.append(("weight", xwire, wd["shape"], _as_bytes(w, xwire)))
        out["mode"] = "full"
        out["transfer"] = _package(parts, inline)
        first = int(req.get("first", 0))
        if first > 0 and out["transfer"].get("data") is None and _can_reduce(xd, yd):
            out["first"] = _first_paint(x, xd, y, yd, w, opts, crit["kind"], first, bool(req.get("half")))
        return out
    out["mode"] = "reduced"
    out["reduced"] = _reduce(x, xd, y, yd, w, opts, crit["kind"], int(req.get("topK", 8)), inline)
    return out


def _rows_view(x, xd):
    """(N, C, d1..dK) → positions × classes, one block of samples at a time (no full copy)."""
    shape = xd["shape"]
    if len(shape) == 1:
        return 1, shape[0], 1
    C = shape[1]
    S = 1
    for d in shape[2:]:
        S *= d
    return shape[0], C, S


def _block_rows(x, n0, n1, C, S, nd):
    """Samples n0..n1 as a float32 (positions, C) tensor on the input's device."""
    t = _torch()
    b = x.unsqueeze(0) if nd == 1 else x[n0:n1]
    # copy=True: the block is exponentiated in place next, and .to() of a float32 tensor is the tensor itself.
    b = b.detach().to(dtype=t.float32, copy=True)
    if S > 1 or nd > 2:
        b = b.reshape(b.shape[0], C, S).transpose(1, 2).reshape(-1, C)
    return b


def _can_reduce(xd, yd):
    return xd["kind"] == "torch" and yd["dtype"] not in _FLOAT


def _first_paint(x, xd, y, yd, w, opts, kind, k, half):
    """What the panel paints while a full pull streams: the per-row losses and the full batch's
    loss computed here in torch, and the k rows with the highest loss, all inside this reply."""
    out = _reduce(x, xd, y, yd, w, opts, kind, k, 1 << 62)
    out["rows"] = _rows_package(x, xd, y, out["top"], half, 1 << 62)
    return out


def _reduce(x, xd, y, yd, w, opts, kind, k, inline):
    """Per-position loss terms computed in the debuggee, then only the top-k rows fetched."""
    if xd["kind"] != "torch":
        raise _Fail("the input is over the transfer budget; reducing it in the program needs a torch tensor")
    if yd["dtype"] in _FLOAT:
        raise _Fail("the input is over the transfer budget; reducing it in the program needs class-index targets")
    t = _torch()
    N, C, S = _rows_view(x, xd)
    nd = len(xd["shape"])
    yy = y.detach().reshape(-1).to(x.device)
    ww = w.detach().to(device=x.device, dtype=t.float32) if w is not None else None
    ii = opts["ignore_index"]
    eps = opts["label_smoothing"]
    rows_per_block = max(1, (1 << 22) // max(1, C * S))
    losses = []
    num = 0.0
    den = 0.0
    with t.no_grad():
        for n0 in range(0, N, rows_per_block):
            n1 = min(N, n0 + rows_per_block)
            b = _block_rows(x, n0, n1, C, S, nd)
            tgt = yy[n0 * S:n1 * S] if nd > 1 else yy
            ign = tgt == ii
            safe = t.where(ign, t.zeros_like(tgt), tgt)
            if (safe < 0).any() or (safe >= C).any():
                bad = int(safe[(safe < 0) | (safe >= C)][0])
                raise _Fail("Target %d is out of bounds." % bad)
            xt = b.gather(1, safe.unsqueeze(1)).squeeze(1)
            if kind == "logits":
                m = b.amax(1, keepdim=True)
                if eps > 0:
                    sx = (b * ww).sum(1) if ww is not None else b.sum(1)
                b.sub_(m).exp_()
                lse = m.squeeze(1) + b.sum(1).log()
                logp_t = xt - lse
                if eps > 0:
                    wsum = ww.sum() if ww is not None else float(C)
                    smooth = -(sx - lse * wsum)
            else:
                logp_t = xt
                if eps > 0:
                    smooth = -((b * ww).sum(1) if ww is not None else b.sum(1))
            wt = ww[safe] if ww is not None else t.ones_like(logp_t)
            l = -wt * logp_t
            if eps > 0:
                l = (1 - eps) * l + (eps / C) * smooth
            l = t.where(ign, t.zeros_like(l), l)
            losses.append(l)
            num += float(l.double().sum())
            den += float(t.where(ign, t.zeros_like(wt), wt).double().sum())
        per = t.cat(losses)
        red = opts["reduction"]
        if red == "mean":
            loss = num / den if den != 0 else float("nan")
        else:
            loss = num
        kk = min(k, per.numel())
        order = t.nan_to_num(per, nan=float("inf")).topk(kk).indices.tolist()
    parts = [("losses", "f4", [int(per.numel())], _as_bytes(per, "f4"))]
    if w is not None:
        parts.append(("weight", _wire_dtype(xd["dtype"]), list(w.shape), _as_bytes(w, _wire_dtype(xd["dtype"]))))
    return {
        "positions": int(per.numel()),
        "numerator": _num(num),
        "denominator": _num(den),
        "loss": _num(loss),
        "top": order,
        "perPosition": _package(parts, inline),
    }


def op_rows(frame, req):
    """Rows (positions) of the input and their targets, for a reduced inspection."""
    x = _resolve(frame, req["input"])
    y = _resolve(frame, req["target"])
    xd = _tensor_or_fail(x, req["input"].get("text", "the input"))
    _tensor_or_fail(y, req["target"].get("text", "the target"))
    if xd["kind"] != "torch":
        raise _Fail("row fetch needs a torch tensor")
    pos = [int(p) for p in req["positions"]]
    return {"transfer": _rows_package(x, xd, y, pos, bool(req.get("half")), int(req.get("inline", 1 << 20)))}


def _rows_package(x, xd, y, pos, half, inline):
    """Rows (positions) of a torch input and their targets, packaged for transfer."""
    t = _torch()
    N, C, S = _rows_view(x, xd)
    nd = len(xd["shape"])
    total = N * S if nd > 1 else 1
    for p in pos:
        if p < 0 or p >= total:
            raise _Fail("position %d is outside the input's %d positions" % (p, total))
    with t.no_grad():
        if nd == 1:
            rows = x.detach().unsqueeze(0)
        elif nd == 2:
            rows = x[pos]
        else:
            rest = xd["shape"][2:]
            idx = []
            for p in pos:
                n, s = divmod(p, S)
                coords = []
                for d in reversed(rest):
                    s, r = divmod(s, d)
                    coords.append(r)
                idx.append((n, tuple(reversed(coords))))
            rows = t.stack([x[(n, slice(None)) + c] for n, c in idx])
        yy = y.detach().reshape(-1)
        tg = yy[pos] if nd > 1 else yy.reshape(1)
    xw = _wire_dtype(xd["dtype"], half)
    parts = [("input", xw, [len(pos), C], _as_bytes(rows, xw)), ("target", "i8", [len(pos)], _as_bytes(tg, "i8"))]
    return _package(parts, inline)


def op_chunk(frame, req):
    blob = _transfers.get(req["id"])
    if blob is None:
        raise _Fail("transfer %r is gone (the program moved on, or it was released)" % (req["id"],))
    off = int(req["offset"])
    size = int(req["size"])
    piece = blob[off:off + size]
    if req.get("release"):
        # The last chunk: the copy goes with it, which saves the bridge a release request.
        _transfers.pop(req["id"], None)
    return {"offset": off, "bytes": len(piece), "data": _b64.b64encode(piece).decode("ascii")}


def op_release(frame, req):
    if req.get("id") is None:
        _transfers.clear()
    else:
        _transfers.pop(req["id"], None)
    return {}


def op_locals(frame, req):
    """Tensor-valued locals of the frame (and tensors one level inside dict locals), for a pick."""
    out = []
    limit = int(req.get("limit", 200))
    for name, v in list(frame.f_locals.items()):
        if len(out) >= limit:
            break
        if not isinstance(name, str) or name.startswith("__"):
            continue
        d = _describe(v)
        if d is not None:
            d["expression"] = name
            d["path"] = {"root": name, "steps": []}
            out.append(d)
        elif isinstance(v, dict):
            for key, item in list(v.items())[:50]:
                if isinstance(key, (str, int)) and not isinstance(key, bool):
                    d = _describe(item)
                    if d is not None:
                        d["expression"] = "%s[%r]" % (name, key)
                        d["path"] = {"root": name, "steps": [["item", key]]}
                        out.append(d)
    return {"locals": out}


_OPS = {
    "ping": op_ping,
    "prepare": op_prepare,
    "rows": op_rows,
    "chunk": op_chunk,
    "release": op_release,
    "locals": op_locals,
}
`;

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

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
