/**
 * The in-program side of a JavaScript read (see javascript.ts): one self-contained function
 * expression, sent with every request. Only globals are used besides its arguments (`globalThis`,
 * its JSON, Math, typed arrays, Buffer or btoa), and it keeps no state in the program.
 *
 * `(op, get, a, b, wire, more)`: `get` is a thunk of the user's value (the logits for prepare and rows).
 * - prepare (`more`: {y, w, p, prob, xt, yt, budget, inline, first}) → everything a read needs in
 *   one reply: the logits, targets `y()` and weight `w()` described as the kernel will read them
 *   (flat logits as (N, C) with N the targets; class indices checked and sent as int32, probability
 *   targets and the weight in the logits' float type), the program's own loss `p()` (a number or a
 *   one-element tfjs tensor, else null), and the data: all of it inline when it fits `inline` bytes;
 *   otherwise the targets and weight inline, and the logits (and what else did not fit) described
 *   with their length and CRC-32 for a chunked pull. Over `budget` bytes of logits no data is
 *   prepared. With `first` ({k, ii, eps, red}) and class-index targets of (N, C) logits whose data
 *   did not come inline, it also carries the first paint: the loss of every row in float64 as torch
 *   defines it (weight, ignore_index `ii`, label smoothing `eps`), the batch's numerator,
 *   denominator and loss, the k rows with the highest loss, and one inline transfer of the per-row
 *   losses, those rows with their targets (and the weight when it did not come inline already).
 * - describe → {kind, dtype, shape, count, wire, crc32} (the frame's array locals);
 *   chunk (bytes a..b of the value on `wire`) → {data: base64}.
 * - rows (`more`: {y, n, c, positions}) → one inline transfer of those rows and their targets.
 */
import { fnv1a } from './pythonHelper';

export const jsHelper = String.raw`(function (op, get, a, b, wire, more) {
  var G = globalThis;
  function fail(m) { throw new G.Error(m); }
  function info(v) {
    if (v === null || v === undefined) fail("the value is " + v);
    if (typeof v === "number") return { kind: "number", dtype: "number", shape: [], count: 1, wire: "f8", at: function () { return v; } };
    if (G.ArrayBuffer.isView(v) && !(v instanceof G.DataView)) {
      var name = v.constructor && v.constructor.name || "TypedArray";
      if (name === "BigInt64Array" || name === "BigUint64Array") fail(name + " is not supported");
      var w = name === "Float32Array" ? "f4" : name === "Float64Array" ? "f8" : name === "Int32Array" ? "i4" : (/Int|Uint/.test(name) ? "i4" : "f8");
      return { kind: name, dtype: name, shape: [v.length], count: v.length, wire: w, flat: v };
    }
    if (v && typeof v.dataSync === "function" && G.Array.isArray(v.shape)) {
      if (v.isDisposed) fail("the tfjs tensor is disposed");
      var d = v.dataSync();
      var tw = v.dtype === "float32" ? "f4" : v.dtype === "int32" || v.dtype === "bool" ? "i4" : "f8";
      return { kind: "tfjs", dtype: v.dtype, shape: v.shape.slice(), count: d.length, wire: tw, flat: d };
    }
    if (G.Array.isArray(v)) {
      var shape = [];
      var cur = v;
      while (G.Array.isArray(cur)) { shape.push(cur.length); cur = cur[0]; }
      if (shape.length > 2) fail("arrays of more than two dimensions are not read; use a typed array");
      var count = 1;
      for (var k = 0; k < shape.length; k++) count *= shape[k];
      var cols = shape.length === 2 ? shape[1] : 1;
      if (shape.length === 2) for (var r = 0; r < v.length; r++) if (!G.Array.isArray(v[r]) || v[r].length !== cols) fail("row " + r + " has " + (G.Array.isArray(v[r]) ? v[r].length : "no") + " elements, expected " + cols);
      var at = shape.length === 2 ? function (i) { return v[(i / cols) | 0][i % cols]; } : function (i) { return v[i]; };
      return { kind: "Array", dtype: "number", shape: shape, count: count, wire: "f8", at: at };
    }
    fail("a " + (v && v.constructor && v.constructor.name || typeof v) + " is not an array or tensor");
  }
  function el(t, i) {
    var x = t.flat ? t.flat[i] : t.at(i);
    if (typeof x !== "number") fail("element " + i + " is not a number");
    return x;
  }
  function bytesOf(t, w, from, to) {
    var n = to - from;
    var Arr = w === "f4" ? G.Float32Array : w === "f8" ? G.Float64Array : G.Int32Array;
    var out;
    if (t.flat) {
      var sub = t.flat.subarray(from, to);
      out = sub instanceof Arr ? sub : new Arr(sub);
    } else {
      out = new Arr(n);
      for (var i = 0; i < n; i++) out[i] = el(t, from + i);
    }
    return new G.Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  // Node's zlib.crc32 where the program's Node has it (20.15 and later; a built-in module, loaded
  // without touching the program's require cache), else a table loop: 10 against 175 ms for 12.9 MB.
  var Z = null, T = null;
  try {
    var z = G.process && typeof G.process.getBuiltinModule === "function" ? G.process.getBuiltinModule("zlib") : null;
    if (z && typeof z.crc32 === "function") Z = z;
  } catch (e) { Z = null; }
  // c is the running value, inverted (-1 to start); the checksum is (c ^ -1) >>> 0.
  function crc(u8, c) {
    if (Z) return Z.crc32(u8, (c ^ -1) >>> 0) ^ -1;
    if (!T) {
      T = new G.Int32Array(256);
      for (var n = 0; n < 256; n++) { var q = n; for (var k = 0; k < 8; k++) q = q & 1 ? 0xedb88320 ^ (q >>> 1) : q >>> 1; T[n] = q; }
    }
    for (var i = 0; i < u8.length; i++) c = T[(c ^ u8[i]) & 0xff] ^ (c >>> 8);
    return c;
  }
  function b64(u8) {
    if (typeof G.Buffer === "function") return G.Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString("base64");
    var s = "";
    for (var i = 0; i < u8.length; i += 0x8000) s += G.String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return G.btoa(s);
  }
  function num(x) { return x !== x ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : x; }
  // parts: [name, wire, shape, bytes] → one inline transfer {layout, bytes, crc32, data}.
  function pack(parts) {
    var total = 0, layout = [];
    for (var i = 0; i < parts.length; i++) {
      layout.push({ name: parts[i][0], wire: parts[i][1], shape: parts[i][2], offset: total, bytes: parts[i][3].length });
      total += parts[i][3].length;
    }
    var all = new G.Uint8Array(total);
    for (var j = 0; j < parts.length; j++) all.set(parts[j][3], layout[j].offset);
    return { layout: layout, bytes: total, crc32: (crc(all, -1) ^ -1) >>> 0, data: b64(all) };
  }
  // Class indices out of a described value, as Int32Array (checked: integers within int32).
  function indices(y) {
    if (y.flat instanceof G.Int32Array) return y.flat;
    var out = new G.Int32Array(y.count);
    for (var i = 0; i < y.count; i++) {
      var v = el(y, i);
      if (v !== G.Math.floor(v) || v < -2147483648 || v > 2147483647) fail("target " + i + " = " + v + " is not a class index");
      out[i] = v;
    }
    return out;
  }
  // The targets of n rows as class indices.
  function targets(n) {
    var y = info(more.y());
    if (y.count !== n) fail("there are " + y.count + " targets for " + n + " rows");
    return indices(y);
  }
  function rowBytes(t, w, rows, c) {
    var parts = [];
    for (var i = 0; i < rows.length; i++) parts.push(bytesOf(t, w, rows[i] * c, rows[i] * c + c));
    var all = new G.Uint8Array(parts.length ? parts[0].length * parts.length : 0);
    for (var j = 0; j < parts.length; j++) all.set(parts[j], j * parts[0].length);
    return all;
  }
  // The first paint of (n, c) logits t against class indices y (Int32Array), weight W (Float64Array
  // or null, summing to wsum): every row's loss in float64 as torch defines it, the batch's
  // numerator, denominator and loss, and the f.k rows with the highest loss; the weight travels
  // with them when withWeight.
  function first(t, y, W, wsum, n, c, f, withWeight) {
    // Math reached through a local: a free name in the debugger's evaluation scope is looked up
    // dynamically on every use.
    var exp = G.Math.exp, log = G.Math.log;
    var losses = new G.Float64Array(n), row = new G.Float64Array(c), numer = 0, denom = 0, eps = f.eps;
    for (var i = 0; i < n; i++) {
      var tg = y[i];
      if (tg === f.ii) { losses[i] = 0; continue; }
      if (tg < 0 || tg >= c) fail("Target " + tg + " is out of bounds.");
      var m = -Infinity, sx = 0, base = i * c, j, x;
      if (t.flat) for (j = 0; j < c; j++) { x = t.flat[base + j]; row[j] = x; if (x > m || x !== x) m = x; }
      else for (j = 0; j < c; j++) { x = el(t, base + j); row[j] = x; if (x > m || x !== x) m = x; }
      var s = 0;
      for (j = 0; j < c; j++) s += exp(row[j] - m);
      var lse = m + log(s);
      var wy = W ? W[tg] : 1;
      var l = -wy * (row[tg] - lse);
      if (eps > 0) {
        for (j = 0; j < c; j++) sx += W ? W[j] * row[j] : row[j];
        l = (1 - eps) * l + (eps / c) * (lse * wsum - sx);
      }
      losses[i] = l;
      numer += l;
      denom += wy;
    }
    var order = [];
    for (var r = 0; r < n; r++) order.push(r);
    var key = function (r) { var v = losses[r]; return v !== v ? Infinity : v; };
    order.sort(function (p, q) { return key(q) - key(p) || p - q; });
    var top = order.slice(0, G.Math.max(0, G.Math.min(f.k, n)));
    var parts = [["losses", "f8", [n], new G.Uint8Array(losses.buffer)],
      ["input", t.wire, [top.length, c], rowBytes(t, t.wire, top, c)],
      ["target", "i4", [top.length], new G.Uint8Array(G.Int32Array.from(top, function (r) { return y[r]; }).buffer)]];
    if (W && withWeight) parts.push(["weight", "f8", [c], new G.Uint8Array(W.buffer)]);
    var loss = f.red === "mean" ? numer / denom : numer;
    return { positions: n, numerator: num(numer), denominator: num(denom), loss: num(loss), top: top, transfer: pack(parts) };
  }
  function rows(t) {
    var n = more.n, c = more.c, pos = more.positions;
    if (t.count !== n * c) fail("the logits have " + t.count + " values, not " + n + " × " + c);
    var y = targets(n);
    for (var i = 0; i < pos.length; i++) if (!(pos[i] >= 0 && pos[i] < n)) fail("row " + pos[i] + " is outside the " + n + " rows");
    return { v: 1, ok: true, transfer: pack([["input", t.wire, [pos.length, c], rowBytes(t, t.wire, pos, c)],
      ["target", "i4", [pos.length], new G.Uint8Array(G.Int32Array.from(pos, function (r) { return y[r]; }).buffer)]]) };
  }
  function crcOf(t, w) {
    var c = -1;
    var step = Z && t.flat ? t.count : 1 << 16;
    for (var s = 0; s < t.count; s += step) c = crc(bytesOf(t, w, s, G.Math.min(t.count, s + step)), c);
    return (c ^ -1) >>> 0;
  }
  function scalar(v) {
    var sv = typeof v === "number" ? v : v && typeof v.dataSync === "function" && v.size === 1 ? v.dataSync()[0] : null;
    return sv === null ? null : num(sv);
  }
  function size(w) { return w === "f4" || w === "i4" ? 4 : 8; }
  function described(t, shape, w) { return { kind: t.kind, dtype: t.dtype, shape: shape, count: t.count, wire: w }; }
  // Everything of a read in one reply (see the module comment).
  function prepare(t) {
    var ty = info(more.y());
    var tw = more.w ? info(more.w()) : null;
    var xs = t.shape, ys = ty.shape;
    if (!more.prob && xs.length === 1 && ty.count > 1 && ys.length === 1) {
      if (t.count % ty.count !== 0) fail(more.xt + " has " + t.count + " values, not a multiple of the " + ty.count + " targets in " + more.yt + ".");
      xs = [ty.count, t.count / ty.count];
    }
    if (more.prob && xs.length === 1 && ys.length === 1 && t.count === ty.count) { /* unbatched: (C) */ }
    else if (more.prob && ys.length === 1 && xs.length === 2 && ty.count === t.count) ys = xs.slice();
    var fw = t.wire === "f4" ? "f4" : "f8";
    var yw = more.prob ? fw : "i4";
    var reply = { v: 1, ok: true, input: described(t, xs, t.wire), target: described(ty, ys, yw),
      weight: tw ? described(tw, [tw.count], fw) : null, flat: xs !== t.shape, programLoss: null, inline: null, pull: [], first: null };
    if (more.p) { try { reply.programLoss = scalar(more.p()); } catch (e) { reply.programLoss = null; } }
    var xb = t.count * size(t.wire);
    if (xb > more.budget) return reply;
    var yi = more.prob ? null : indices(ty);
    var yBytes = yi ? new G.Uint8Array(yi.buffer, yi.byteOffset, yi.byteLength) : bytesOf(ty, yw, 0, ty.count);
    var small = [["target", yw, ys, yBytes]];
    if (tw) small.push(["weight", fw, [tw.count], bytesOf(tw, fw, 0, tw.count)]);
    var sb = 0;
    for (var i = 0; i < small.length; i++) sb += small[i][3].length;
    if (xb + sb <= more.inline) {
      reply.inline = pack([["input", t.wire, xs, bytesOf(t, t.wire, 0, t.count)]].concat(small));
      return reply;
    }
    reply.pull.push({ name: "input", wire: t.wire, shape: xs, bytes: xb, crc32: crcOf(t, t.wire) });
    var wInline = !tw;
    if (sb <= more.inline) { reply.inline = pack(small); wInline = true; }
    else {
      reply.pull.push({ name: "target", wire: yw, shape: ys, bytes: yBytes.length, crc32: (crc(yBytes, -1) ^ -1) >>> 0 });
      if (tw) reply.pull.push({ name: "weight", wire: fw, shape: [tw.count], bytes: tw.count * size(fw), crc32: crcOf(tw, fw) });
    }
    var n = xs.length === 2 ? xs[0] : 0, c = xs.length === 2 ? xs[1] : 0;
    if (more.first && yi && n > 0 && yi.length === n) {
      var W = null, wsum = c;
      if (tw) {
        if (tw.count !== c) fail("the weight has " + tw.count + " values for " + c + " classes");
        W = new G.Float64Array(c);
        wsum = 0;
        for (var q = 0; q < c; q++) { W[q] = el(tw, q); wsum += W[q]; }
      }
      reply.first = first(t, yi, W, wsum, n, c, more.first, !wInline);
    }
    return reply;
  }
  try {
    var v = get();
    var t = info(v);
    if (op === "prepare") return G.JSON.stringify(prepare(t));
    if (op === "rows") return G.JSON.stringify(rows(t));
    if (op === "describe") {
      var w0 = wire || t.wire;
      return G.JSON.stringify({ v: 1, ok: true, kind: t.kind, dtype: t.dtype, shape: t.shape, count: t.count, wire: w0, crc32: crcOf(t, w0) });
    }
    return G.JSON.stringify({ v: 1, ok: true, data: b64(bytesOf(t, wire, a / size(wire), b / size(wire))) });
  } catch (e) {
    return G.JSON.stringify({ v: 1, ok: false, error: G.String(e && e.message || e) });
  }
})`;

/**
 * Where the function lives in the program: a property of `globalThis` keyed by a symbol of the
 * registry, named after the source's hash. A symbol key collides with no name of the program, and a
 * non-enumerable property shows in no `Object.keys`, `for…in` or `JSON.stringify` of the global.
 */
export const jsHelperKey = `lossInspector.live.js.v1.${fnv1a(jsHelper)}`;

/** What a call answers when the function is not installed in the program (or its realm). */
export const jsHelperMissing = '__loss_inspector_js_helper_missing__';

/**
 * One call of the installed function with `args` (the text of its argument list). `install`: the
 * request defines it first (the whole source crosses once); otherwise the request is the call only,
 * and answers {@link jsHelperMissing} when the program has no such function (a new program, another
 * realm), for the caller to send it again with `install`. Every request used to carry the 12 KB
 * source, which js-debug parses and rewrites, in the shared extension host, before the program
 * compiles it.
 */
export function jsCall(args: string, install: boolean): string {
  const key = `globalThis.Symbol.for(${JSON.stringify(jsHelperKey)})`;
  if (install) {
    return (
      `globalThis.Object.defineProperty(globalThis, ${key}, { value: ${jsHelper}, configurable: true, ` +
      `enumerable: false, writable: false })[${key}](${args})`
    );
  }
  // No function around the arguments: the user's thunk must see the frame's names, not ours.
  return `(globalThis[${key}] || (() => ${JSON.stringify(jsHelperMissing)}))(${args})`;
}
