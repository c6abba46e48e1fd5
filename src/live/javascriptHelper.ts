/**
 * The in-program side of a JavaScript read (see javascript.ts): one self-contained function
 * expression, sent with every request. Only globals are used besides its arguments (`globalThis`,
 * its JSON, Math, typed arrays, Buffer or btoa), and it keeps no state in the program.
 *
 * `(op, get, a, b, wire, more)`: `get` is a thunk of the user's value.
 * - describe → {kind, dtype, shape, count, wire, crc32}; chunk (bytes a..b) → {data: base64};
 *   scalar → {value}.
 * - first (a progressive read's first paint; `more`: {y, w, n, c, k, ii, eps, red}) → the loss of
 *   every one of the n rows of (n, c) logits against the class indices `y()`, in float64 as torch
 *   defines it (weight `w()`, ignore_index `ii`, label smoothing `eps`), the batch's numerator,
 *   denominator and loss, the k rows with the highest loss, and one inline transfer of the per-row
 *   losses, those rows with their targets, and the weight.
 * - rows (`more`: {y, n, c, positions}) → one inline transfer of those rows and their targets.
 */
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
  // The targets of n rows as class indices.
  function targets(t, n) {
    var y = info(more.y());
    if (y.count !== n) fail("there are " + y.count + " targets for " + n + " rows");
    var out = new G.Int32Array(n);
    for (var i = 0; i < n; i++) {
      var v = el(y, i);
      if (v !== G.Math.floor(v) || v < -2147483648 || v > 2147483647) fail("target " + i + " = " + v + " is not a class index");
      out[i] = v;
    }
    return out;
  }
  function rowBytes(t, w, rows, c) {
    var parts = [];
    for (var i = 0; i < rows.length; i++) parts.push(bytesOf(t, w, rows[i] * c, rows[i] * c + c));
    var all = new G.Uint8Array(parts.length ? parts[0].length * parts.length : 0);
    for (var j = 0; j < parts.length; j++) all.set(parts[j], j * parts[0].length);
    return all;
  }
  function first(t) {
    var n = more.n, c = more.c;
    if (t.count !== n * c) fail("the logits have " + t.count + " values, not " + n + " × " + c);
    var y = targets(t, n);
    var W = null, wsum = c;
    if (more.w) {
      var wt = info(more.w());
      if (wt.count !== c) fail("the weight has " + wt.count + " values for " + c + " classes");
      W = new G.Float64Array(c);
      wsum = 0;
      for (var q = 0; q < c; q++) { W[q] = el(wt, q); wsum += W[q]; }
    }
    // Math reached through a local: a free name in the debugger's evaluation scope is looked up
    // dynamically on every use.
    var exp = G.Math.exp, log = G.Math.log;
    var losses = new G.Float64Array(n), row = new G.Float64Array(c), numer = 0, denom = 0, eps = more.eps;
    for (var i = 0; i < n; i++) {
      var tg = y[i];
      if (tg === more.ii) { losses[i] = 0; continue; }
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
    var top = order.slice(0, G.Math.max(0, G.Math.min(more.k, n)));
    var parts = [["losses", "f8", [n], new G.Uint8Array(losses.buffer)],
      ["input", t.wire, [top.length, c], rowBytes(t, t.wire, top, c)],
      ["target", "i4", [top.length], new G.Uint8Array(G.Int32Array.from(top, function (r) { return y[r]; }).buffer)]];
    if (W) parts.push(["weight", "f8", [c], new G.Uint8Array(W.buffer)]);
    var loss = more.red === "mean" ? numer / denom : numer;
    return { v: 1, ok: true, positions: n, numerator: num(numer), denominator: num(denom), loss: num(loss), top: top, transfer: pack(parts) };
  }
  function rows(t) {
    var n = more.n, c = more.c, pos = more.positions;
    if (t.count !== n * c) fail("the logits have " + t.count + " values, not " + n + " × " + c);
    var y = targets(t, n);
    for (var i = 0; i < pos.length; i++) if (!(pos[i] >= 0 && pos[i] < n)) fail("row " + pos[i] + " is outside the " + n + " rows");
    return { v: 1, ok: true, transfer: pack([["input", t.wire, [pos.length, c], rowBytes(t, t.wire, pos, c)],
      ["target", "i4", [pos.length], new G.Uint8Array(G.Int32Array.from(pos, function (r) { return y[r]; }).buffer)]]) };
  }
  try {
    var v = get();
    if (op === "scalar") {
      var sv = typeof v === "number" ? v : v && typeof v.dataSync === "function" && v.size === 1 ? v.dataSync()[0] : null;
      return G.JSON.stringify({ v: 1, ok: true, value: sv === null ? null : num(sv) });
    }
    var t = info(v);
    if (op === "first") return G.JSON.stringify(first(t));
    if (op === "rows") return G.JSON.stringify(rows(t));
    if (op === "describe") {
      var w0 = wire || t.wire;
      var c = -1;
      var step = Z && t.flat ? t.count : 1 << 16;
      for (var s = 0; s < t.count; s += step) c = crc(bytesOf(t, w0, s, G.Math.min(t.count, s + step)), c);
      return G.JSON.stringify({ v: 1, ok: true, kind: t.kind, dtype: t.dtype, shape: t.shape, count: t.count, wire: w0, crc32: (c ^ -1) >>> 0 });
    }
    var size = wire === "f4" || wire === "i4" ? 4 : 8;
    return G.JSON.stringify({ v: 1, ok: true, data: b64(bytesOf(t, wire, a / size, b / size)) });
  } catch (e) {
    return G.JSON.stringify({ v: 1, ok: false, error: G.String(e && e.message || e) });
  }
})`;
