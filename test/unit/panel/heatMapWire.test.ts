/**
 * A heat map's cells cross to the webview as a Float64Array, which VS Code's postMessage moves as
 * binary beside the JSON, instead of up to 64 × 512 numbers written out in JSON (321 KB for a
 * (64, 50 257) pair). The webview gets the same list back, NaN and ±Infinity included, and the
 * guard passes it; every other message keeps its plain JSON form.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeHostMessage,
  encodeHostMessage,
  hostToWebviewProblem,
  type HeatMap,
  type HostToWebview,
} from '../../../src/protocol/webview';
import { throughPostMessage } from './postMessageWire';
import { seedBatchState } from './states';

function bigMap(): HeatMap {
  const rows = 64;
  const cols = 512;
  const C = 50_257;
  const values = Array.from({ length: rows * cols }, (_, i) => Math.round(Math.abs(Math.sin(i * 0.7)) * 1e4) / 1e8);
  values[5] = NaN;
  values[6] = Infinity;
  values[7] = -0;
  return {
    rows,
    cols,
    values,
    rowStart: Array.from({ length: rows + 1 }, (_, r) => r),
    colStart: Array.from({ length: cols + 1 }, (_, c) => Math.round((c * C) / cols)),
    rowLoss: Array.from({ length: rows }, (_, r) => 10 + r / 7),
    rowIgnored: Array.from({ length: rows }, (_, r) => r === 3),
    rowPick: Array.from({ length: rows }, (_, r) => r),
    count: rows,
    C,
  };
}

describe('a heat map message on the wire', () => {
  it('carries its cells as binary, and the webview reads the same map', () => {
    const heatMap = bigMap();
    const message: HostToWebview = { type: 'heatMap', id: 3, heatMap };
    expect(hostToWebviewProblem(message)).toBeNull();
    const encoded = encodeHostMessage(message) as { heatMap: { values: unknown } };
    expect(encoded.heatMap.values).toBeInstanceOf(Float64Array);
    // What VS Code writes as JSON: the map without its cells.
    const json = JSON.stringify(encoded, (_k, v: unknown) => (ArrayBuffer.isView(v) ? null : v));
    expect(json.length).toBeLessThan(10_000);
    const received = decodeHostMessage(throughPostMessage(encoded));
    expect(hostToWebviewProblem(received)).toBeNull();
    const values = (received as { heatMap: HeatMap }).heatMap.values;
    expect(Array.isArray(values)).toBe(true);
    expect(values).toEqual(heatMap.values);
    expect(Object.is(values[7], -0)).toBe(true);
    expect(received).toEqual(message);
  });

  it('leaves other messages in plain JSON, non-finite numbers as before', () => {
    const state = { ...seedBatchState(), heatMap: bigMap() };
    const encoded = encodeHostMessage({ type: 'state', state }) as { state: { heatMap: HeatMap } };
    expect(Array.isArray(encoded.state.heatMap.values)).toBe(true);
    expect(encoded.state.heatMap.values[5]).toEqual({ $nf: 'NaN' });
    const back = decodeHostMessage(JSON.parse(JSON.stringify(encoded))) as { state: { heatMap: HeatMap } };
    // JSON writes −0 as 0 (the binary cells above keep it).
    expect(back.state.heatMap.values).toEqual(state.heatMap.values.map((v) => (Object.is(v, -0) ? 0 : v)));
  });
});
