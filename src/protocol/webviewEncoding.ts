/**
 * NaN and ±Infinity across the webview's JSON channel: the host encodes each host → webview
 * message, the webview decodes what arrives before the guard checks it.
 */
import type { HostToWebview } from './webviewMessages';

/** How a non-finite number travels: `{ $nf: 'NaN' }`. No state object has a `$nf` field. */
interface NonFinite {
  $nf: 'NaN' | 'Infinity' | '-Infinity';
}

const maxDepth = 32;

function encodeValue(x: unknown, depth: number): unknown {
  if (typeof x === 'number') {
    if (Number.isFinite(x)) return x;
    return { $nf: x !== x ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity' } satisfies NonFinite;
  }
  // A typed array travels as binary (VS Code moves its buffer beside the JSON), NaN and ±Infinity as they are.
  if (typeof x !== 'object' || x === null || depth > maxDepth || ArrayBuffer.isView(x)) return x;
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = encodeValue(x[i], depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(x)) out[key] = encodeValue((x as Record<string, unknown>)[key], depth + 1);
  return out;
}

function decodeValue(x: unknown, depth: number): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (depth > maxDepth) return undefined; // fails the guard instead of recursing without end
  // A heat map's cells arrive as a Float64Array (see encodeHostMessage): a plain list again, for the guard.
  if (x instanceof Float64Array) return Array.from(x);
  if (Array.isArray(x)) {
    const out = new Array<unknown>(x.length);
    for (let i = 0; i < x.length; i++) out[i] = decodeValue(x[i], depth + 1);
    return out;
  }
  const keys = Object.keys(x);
  const nf = (x as Record<string, unknown>).$nf;
  if (keys.length === 1 && (nf === 'NaN' || nf === 'Infinity' || nf === '-Infinity')) {
    return nf === 'NaN' ? NaN : nf === 'Infinity' ? Infinity : -Infinity;
  }
  const out: Record<string, unknown> = {};
  // defineProperty: a key named `__proto__` stays a data field (which the guard then rejects as
  // unknown) instead of replacing the copy's prototype.
  for (const key of keys) {
    const value = decodeValue((x as Record<string, unknown>)[key], depth + 1);
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A copy of `msg` that survives JSON: NaN and ±Infinity become `{ $nf: … }`. Host side, before
 * `postMessage`. A heat map message's cells (up to 64 × 512 numbers, 321 KB of JSON for a
 * (64, 50 257) pair, 37 ms to stringify and parse at load 9) go as a Float64Array instead, which
 * VS Code's postMessage moves as binary beside the JSON (extensions for VS Code ≥ 1.57) and
 * {@link decodeHostMessage} turns back into a list.
 */
export function encodeHostMessage(msg: HostToWebview): unknown {
  if (msg.type === 'heatMap')
    return encodeValue({ ...msg, heatMap: { ...msg.heatMap, values: Float64Array.from(msg.heatMap.values) } }, 0);
  return encodeValue(msg, 0);
}

/** The inverse of {@link encodeHostMessage}, on an untrusted value. Webview side, before {@link isHostToWebview}. */
export function decodeHostMessage(raw: unknown): unknown {
  return decodeValue(raw, 0);
}
