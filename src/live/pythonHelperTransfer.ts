/**
 * The second half of the live helper's Python source (see pythonHelper.ts, which sends both halves
 * as one text): reads too big to send whole. The first paint (the rows with the highest loss and
 * the batch's loss, computed in the program), rows read on demand, the chunks of a transfer, its
 * release, and the frame's locals; then the table of ops that run() dispatches to.
 */
export const helperTransferSource = String.raw`def _rows_view(x, xd):
    """(N, C, d1..dK) → positions × classes, one block of samples at a time (no full copy)."""
    shape = xd["shape"]
    if len(shape) == 1:
        return 1, shape[0], 1
    C = shape[1]
    S = 1
    for d in shape[2:]:
        S *= d
    return shape[0], C, S


def _block_rows(x, n0, n1, C, S, nd, buf):
    """Samples n0..n1 as float32 (positions, C), copied into the front of buf (float32, on the
    input's device, at least a block's positions). One buffer serves every block of a reduction: a
    fresh 4 MB tensor a block was returned to the allocator and faulted in again each time, which
    cost 10 times the arithmetic (8.9 s against 0.67 s for 411 M bfloat16 logits, bit-identical)."""
    b = x.unsqueeze(0) if nd == 1 else x[n0:n1]
    n = b.shape[0]
    out = buf[:n * S]
    # The copy widens the dtype; the block is exponentiated in place next, never the input.
    if S > 1 or nd > 2:
        out.view(n, S, C).copy_(b.detach().reshape(n, C, S).transpose(1, 2))
    else:
        out.copy_(b.detach())
    return out


def _can_reduce(xd, yd):
    return xd["kind"] == "torch" and yd["dtype"] not in _FLOAT


def _first_paint(x, xd, y, yd, w, opts, kind, k, half):
    """What the panel paints while a full pull streams: the per-row losses and the full batch's
    loss computed here in torch, and the k rows with the highest loss, all inside this reply."""
    out = _reduce(x, xd, y, yd, w, opts, kind, k, 1 << 62)
    out["rows"] = _rows_package(x, xd, y, out["top"], half, 1 << 62)
    return out


def _block_of(C, S, req=None):
    """Samples a block holds: about 1 M elements (4 MB as float32, near the cache), or the request's
    own figure. The block partition fixes the order of the float64 sums, so a reduction done in
    steps (each a whole number of blocks) gives the same numerator and denominator to the bit."""
    b = int((req or {}).get("block") or 0)
    return b if b > 0 else max(1, (1 << 20) // max(1, C * S))


def _reduce_blocks(x, xd, y, w, opts, kind, n0, n1, block, num=0.0, den=0.0):
    """Per-position loss terms of samples n0..n1, a block at a time, computed here in torch (float32,
    exactly as torch defines weight, ignore_index and label smoothing): yields (b0, b1, terms, num,
    den) after each block, the float64 sums carried on from num, den in block order. One float32
    buffer serves every block; grad mode is off only while a block computes (never across a yield)."""
    t = _torch()
    N, C, S = _rows_view(x, xd)
    nd = len(xd["shape"])
    yy = y.detach().reshape(-1).to(x.device)
    ww = w.detach().to(device=x.device, dtype=t.float32) if w is not None else None
    ii = opts["ignore_index"]
    eps = opts["label_smoothing"]
    buf = t.empty((min(block, max(0, n1 - n0)) * S, C), dtype=t.float32, device=x.device)
    for b0 in range(n0, n1, block):
        b1 = min(n1, b0 + block)
        with t.no_grad():
            b = _block_rows(x, b0, b1, C, S, nd, buf)
            tgt = yy[b0 * S:b1 * S] if nd > 1 else yy
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
            num += float(l.double().sum())
            den += float(t.where(ign, t.zeros_like(wt), wt).double().sum())
        yield b0, b1, l, num, den


def _reduce_range(x, xd, y, w, opts, kind, n0, n1, block, num=0.0, den=0.0):
    """The terms of samples n0..n1 in one tensor, and the float64 sums carried on from num, den."""
    t = _torch()
    losses = []
    for _, _, l, num, den in _reduce_blocks(x, xd, y, w, opts, kind, n0, n1, block, num, den):
        losses.append(l)
    with t.no_grad():
        per = t.cat(losses) if losses else t.zeros(0)
    return per, num, den


def _check_reducible(xd, yd):
    if xd["kind"] != "torch":
        raise _Fail("the input is over the transfer budget; reducing it in the program needs a torch tensor")
    if yd["dtype"] in _FLOAT:
        raise _Fail("the input is over the transfer budget; reducing it in the program needs class-index targets")


def _batch_loss(opts, num, den):
    if opts["reduction"] == "mean":
        return num / den if den != 0 else float("nan")
    return num


def _reduce(x, xd, y, yd, w, opts, kind, k, inline, block=None):
    """Per-position loss terms computed in the debuggee, then only the top-k rows fetched."""
    _check_reducible(xd, yd)
    t = _torch()
    N, C, S = _rows_view(x, xd)
    per, num, den = _reduce_range(x, xd, y, w, opts, kind, 0, N, block or _block_of(C, S))
    loss = _batch_loss(opts, num, den)
    with t.no_grad():
        kk = min(k, per.numel())
        order = t.nan_to_num(per, nan=float("inf")).topk(kk).indices.tolist()
    parts = [("losses", "f4", [int(per.numel())], _as_bytes(per, "f4"))] + _weight_part(w, xd)
    return {
        "positions": int(per.numel()),
        "numerator": _num(num),
        "denominator": _num(den),
        "loss": _num(loss),
        "top": order,
        "perPosition": _package(parts, inline),
    }


def _weight_part(w, xd):
    """The class weight as a part of a package, in the input's wire dtype (none without a weight)."""
    if w is None:
        return []
    wire = _wire_dtype(xd["dtype"])
    return [("weight", wire, list(w.shape), _as_bytes(w, wire))]


def _steps_first(x, xd, y, yd, w, opts, kind, look, half, req):
    """Over the budget, read in steps: what the panel paints at once. The rows the user looks at,
    with their loss terms computed here (each sample's own block), and how the reduction of every
    row is cut into steps (whole blocks), each one request the bridge can stop between."""
    _check_reducible(xd, yd)
    N, C, S = _rows_view(x, xd)
    # A 1-D input is one sample of one position (_rows_view gives N = S = 1).
    total = N * S
    # No row asked for (a stepped read that shows no row): none crosses.
    look = [p for p in look if 0 <= p < total] or ([0] if look else [])
    terms = []
    for p in look:
        n = p // S
        per, _, _ = _reduce_range(x, xd, y, w, opts, kind, n, n + 1, 1)
        terms.append(per[p - n * S])
    t = _torch()
    stacked = t.stack(terms) if terms else t.zeros(0)
    parts = [("losses", "f4", [len(terms)], _as_bytes(stacked, "f4"))] + _weight_part(w, xd)
    return {
        "positions": total,
        "samples": N,
        "block": _block_of(C, S, req),
        "look": look,
        "terms": _package(parts, 1 << 62),
        "rows": _rows_package(x, xd, y, look, half, 1 << 62),
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
        if not pos:
            rows = t.zeros((0, C))
        elif nd == 1:
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
        tg = yy[pos] if nd > 1 or not pos else yy.reshape(1)
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


`;
