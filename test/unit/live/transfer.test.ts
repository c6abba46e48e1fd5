import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HelperChannel, openChunk, pythonChunkBytes } from '../../../src/live/pythonChannel';
import { SessionState, isStaleReply, request, resolveFrame, type DebugSessionLike } from '../../../src/live/session';
import {
  crc32,
  crc32Table,
  decodeFloat32,
  decodeWire,
  openEnvelope,
  pull,
  pullParts,
  Pulled,
  unpack,
  unpackFloat32,
  type TransferInfo,
} from '../../../src/live/transfer';

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
const info = (bytes: Uint8Array, extra: Partial<TransferInfo> = {}): TransferInfo => ({
  layout: [{ name: 'x', wire: 'f4', shape: [bytes.length / 4], offset: 0, bytes: bytes.length }],
  bytes: bytes.length,
  crc32: zlibCrc32(bytes),
  ...extra,
});
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

describe('chunked transfer', () => {
  it('computes the CRC-32 of zlib, natively and with its own table', () => {
    for (const n of [0, 1, 7, 1000, 65_537]) {
      expect(crc32(bytesOf(n))).toBe(zlibCrc32(bytesOf(n)));
      // The fallback for runtimes without zlib.crc32, checked against zlib here.
      expect(crc32Table(bytesOf(n))).toBe(zlibCrc32(bytesOf(n)));
    }
    // A known value: CRC-32 of "123456789" is 0xCBF43926.
    expect(crc32Table(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('continues a CRC-32 from the CRC of the bytes before, natively and with its own table', () => {
    const all = bytesOf(70_001);
    for (const cut of [0, 1, 4096, 70_000, 70_001]) {
      const [a, b] = [all.subarray(0, cut), all.subarray(cut)];
      expect(crc32(b, crc32(a))).toBe(zlibCrc32(all));
      expect(crc32Table(b, crc32Table(a))).toBe(zlibCrc32(all));
    }
  });

  it('decodes the input straight into a buffer of its own: no copy, chunks across its edges, the CRC of the whole', async () => {
    // float32 input, int32 target, float32 weight, pulled in 1 KiB chunks that straddle both edges of the input.
    for (const before of [0, 12]) {
      const x = Float32Array.from({ length: 1001 }, (_, i) => Math.fround(Math.sin(i) * 40));
      const data = new Uint8Array(before + x.byteLength + 16);
      data.set(bytesOf(before), 0);
      data.set(new Uint8Array(x.buffer), before);
      data.set(new Uint8Array(Int32Array.of(7, 3, 0, 999).buffer), before + x.byteLength);
      const layout: TransferInfo['layout'] = [
        ...(before ? [{ name: 'pad', wire: 'i4' as const, shape: [before / 4], offset: 0, bytes: before }] : []),
        { name: 'input', wire: 'f4', shape: [1001], offset: before, bytes: x.byteLength },
        { name: 'target', wire: 'i4', shape: [4], offset: before + x.byteLength, bytes: 16 },
      ];
      const t: TransferInfo = { layout, bytes: data.length, crc32: zlibCrc32(data) };
      const read = async (off: number, size: number) => b64(data.subarray(off, off + size));
      const own = { offset: before, bytes: x.byteLength };
      const got = await pullParts(t, read, { chunkBytes: 1024, own });
      // The whole, in order, from every piece (a range across the pieces is copied together).
      expect(got.range(0, got.length)).toEqual(data);
      expect(got.range(before + 4000, 8)).toEqual(data.subarray(before + 4000, before + 4008));
      const u = unpackFloat32(t, got, 'input');
      expect(u.float32!.data).toEqual(x);
      // The input is its own buffer, exactly: nothing was copied out of a bigger one.
      expect(u.float32!.data.buffer.byteLength).toBe(x.byteLength);
      expect(u.float32!.data.buffer).toBe(got.owned(before, x.byteLength)!.buffer);
      expect(Array.from(u.parts.get('target')!.data)).toEqual([7, 3, 0, 999]);
      // Every byte still counts in the checksum.
      await expect(pullParts({ ...t, crc32: t.crc32 ^ 1 }, read, { chunkBytes: 1024, own })).rejects.toMatchObject({
        code: 'bad_envelope',
      });
      // Without the range, the float32 array is a copy in a buffer of its own, equal.
      const plain = unpackFloat32(t, await pull(t, read, { chunkBytes: 1024 }), 'input');
      expect(plain.float32!.data).toEqual(x);
      expect(plain.float32!.data.buffer.byteLength).toBe(x.byteLength);
    }
    // A range outside the transfer is ignored: one piece, nothing owned.
    const odd = Pulled.alloc(8, { offset: 4, bytes: 8 });
    expect(odd.owned(4, 8)).toBeNull();
    expect(odd.range(0, 8).length).toBe(8);
  });

  it('a Python pull asks for chunks of pythonChunkBytes unless the read names a size', async () => {
    const data = bytesOf(2 * pythonChunkBytes + 100);
    const asked: number[] = [];
    // A stand-in for debugpy answering the helper's calls: the install, then chunk after chunk.
    const session: DebugSessionLike = {
      type: 'debugpy',
      async customRequest(_command: string, args?: unknown) {
        const expr = (args as { expression: string }).expression;
        const at = expr.indexOf('.run(');
        if (at < 0) return { result: 'installed' };
        const req = JSON.parse(JSON.parse(expr.slice(at + 5, -1))) as { offset: number; size: number };
        asked.push(req.size);
        const piece = data.subarray(req.offset, req.offset + req.size);
        return {
          result: JSON.stringify({ offset: req.offset, bytes: piece.length, data: b64(piece), v: 1, ok: true }),
        };
      },
    };
    const state = new SessionState();
    state.stopped(1);
    const ch = new HelperChannel(session, state, { threadId: 1, frameId: 1, name: 'f', line: 1, epoch: state.epoch });
    const got = await ch.pull({ ...info(data), id: 1 }, {}, { id: 'values' });
    expect(asked).toEqual([pythonChunkBytes, pythonChunkBytes, 100]);
    expect(got.range(0, got.length)).toEqual(data);
    asked.length = 0;
    await ch.pull({ ...info(data), id: 2 }, { chunkBytes: 1 << 20 }, { id: 'values' });
    expect(asked).toEqual([1 << 20, data.length - (1 << 20)]);
  });

  it('pulls in chunks of the asked size and reports progress', async () => {
    const data = bytesOf(10_000);
    const asked: [number, number][] = [];
    const progress: number[] = [];
    const got = await pull(
      info(data),
      async (off, size) => {
        asked.push([off, size]);
        return b64(data.subarray(off, off + size));
      },
      { chunkBytes: 4096, progress: (p) => progress.push(p.done) },
    );
    expect(asked).toEqual([
      [0, 4096],
      [4096, 4096],
      [8192, 1808],
    ]);
    expect(progress).toEqual([4096, 8192, 10_000]);
    expect(got).toEqual(data);
  });

  it('refuses a short chunk, a wrong checksum and text that is not base64', async () => {
    const data = bytesOf(8000);
    await expect(pull(info(data), async (off, size) => b64(data.subarray(off, off + size - 1)))).rejects.toMatchObject({
      code: 'bad_envelope',
    });
    await expect(
      pull(info(data, { crc32: 1 }), async (off, size) => b64(data.subarray(off, off + size))),
    ).rejects.toThrow(/Checksum mismatch/);
    await expect(pull(info(data), async () => 'not base64!')).rejects.toMatchObject({ code: 'bad_envelope' });
    // Right length, one character outside the alphabet: the decoder drops it, the length tells.
    const text = b64(data.subarray(0, 3000));
    const bad = `${text.slice(0, 100)}*${text.slice(101)}`;
    await expect(pull(info(data.subarray(0, 3000)), async () => bad)).rejects.toMatchObject({ code: 'bad_envelope' });
  });

  it('reads a Python chunk reply without parsing its data as JSON, and refuses what is not one', async () => {
    const data = bytesOf(9000);
    // As the helper writes it (json.dumps of its dict, compact): offset, bytes, data, v, ok.
    const reply = (off: number, size: number, extra = '') =>
      `{"offset":${off},"bytes":${size},"data":"${b64(data.subarray(off, off + size))}"${extra},"v":1,"ok":true}`;
    expect(openChunk(reply(4096, 100), 'chunk')).toEqual({ offset: 4096, data: b64(data.subarray(4096, 4196)) });
    const got = await pull(info(data), async (off, size) => openChunk(reply(off, size), 'chunk').data, {
      chunkBytes: 4096,
    });
    expect(got).toEqual(data);
    // A failure's envelope is parsed whole and says what failed; so is a reply of another version.
    expect(() => openChunk('{"v":1,"ok":false,"error":"transfer 3 is gone"}', 'chunk')).toThrow(/transfer 3 is gone/);
    expect(() => openChunk(reply(0, 8).replace('"v":1', '"v":2'), 'chunk')).toThrow(/version 1 envelope/);
    expect(() => openChunk('{"offset":0,"data":"AAAA"', 'chunk')).toThrow(/not JSON/);
    // An escaped quote ends the slice early: the rest is not what the chunk must hold.
    const escaped = reply(0, 3000).replace('"data":"', '"data":"AB\\"');
    await expect(
      pull(info(data.subarray(0, 3000)), async () => openChunk(escaped, 'chunk').data),
    ).rejects.toMatchObject({ code: 'bad_envelope' });
  });

  it('decodes each chunk in place: a chunk that would run past its size is refused before it is written', async () => {
    const data = bytesOf(8192);
    const long = pull(info(data), async (off, size) => b64(data.subarray(off, off + size + 3)), { chunkBytes: 4096 });
    await expect(long).rejects.toThrow(/Chunk at byte 0: expected 4096 bytes, received 4099/);
  });

  it('stops between chunks when cancelled, and starts no request after that', async () => {
    const data = bytesOf(40_000);
    for (const inFlight of [1, 3]) {
      const token = { isCancellationRequested: false };
      let calls = 0;
      let afterCancel = 0;
      const p = pull(
        info(data),
        async (off, size) => {
          calls++;
          if (token.isCancellationRequested) afterCancel++;
          await new Promise((r) => setTimeout(r, 5));
          return b64(data.subarray(off, off + size));
        },
        { chunkBytes: 4000, inFlight, token, progress: () => (token.isCancellationRequested = true) },
      );
      await expect(p).rejects.toMatchObject({ code: 'cancelled' });
      expect(calls).toBe(inFlight);
      expect(afterCancel).toBe(0);
    }
  });

  it('keeps chunks in order with several requests in flight', async () => {
    const data = bytesOf(50_000);
    let inFlight = 0;
    let most = 0;
    const got = await pull(
      info(data),
      async (off, size) => {
        inFlight++;
        most = Math.max(most, inFlight);
        // Later chunks answer sooner: order must come from the offsets, not arrival.
        await new Promise((r) => setTimeout(r, 20 - (off / 4000) * 1.5));
        inFlight--;
        return b64(data.subarray(off, off + size));
      },
      { chunkBytes: 4000, inFlight: 3 },
    );
    expect(most).toBe(3);
    expect(got).toEqual(data);
  });

  it('decodes little-endian float32, float64, int32 and int64 elements', () => {
    const buf = new ArrayBuffer(8 * 3);
    const v = new DataView(buf);
    v.setBigInt64(0, -100n, true);
    v.setBigInt64(8, 2n ** 40n + 5n, true);
    v.setBigInt64(16, 7n, true);
    expect(Array.from(decodeWire(new Uint8Array(buf), 'i8'))).toEqual([-100, 2 ** 40 + 5, 7]);
    const f = new Float32Array([1.5, -0.1]);
    expect(Array.from(decodeWire(new Uint8Array(f.buffer), 'f4'))).toEqual([1.5, Math.fround(-0.1)]);
    // An odd offset into the buffer still decodes.
    const odd = new Uint8Array(9);
    odd.set(new Uint8Array(f.buffer), 1);
    expect(Array.from(decodeWire(odd.subarray(1), 'f4'))).toEqual([1.5, Math.fround(-0.1)]);
  });

  it('widens bfloat16 and float16 exactly, from their bit patterns', () => {
    const bits = (...u: number[]) => new Uint8Array(new Uint16Array(u).buffer);
    // bfloat16: the top 16 bits of a float32. 0x3f80 = 1, 0xc040 = -3, 0x3dcd = 0.10009765625
    // (bfloat16's nearest to 0.1), 0x7f80 = inf, 0x0001 = the smallest subnormal, 2^-133.
    expect(Array.from(decodeWire(bits(0x3f80, 0xc040, 0x3dcd, 0x7f80, 0x0001), 'b2'))).toEqual([
      1,
      -3,
      0.10009765625,
      Infinity,
      2 ** -133,
    ]);
    // float16: 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504 (the largest), 0x0001 = 2^-24, 0xfc00 = -inf.
    expect(Array.from(decodeWire(bits(0x3c00, 0xc000, 0x7bff, 0x0001, 0xfc00), 'f2'))).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      -Infinity,
    ]);
    expect(decodeWire(bits(0x7e00), 'f2')[0]).toBeNaN();
  });

  it('decodes float32, bfloat16 and float16 to float32 values without widening, each in a buffer of its own', () => {
    const bits = (...u: number[]) => new Uint8Array(new Uint16Array(u).buffer);
    for (const [wire, b] of [
      ['b2', bits(0x3f80, 0xc040, 0x3dcd, 0x7f80, 0x0001, 0x7fc1)],
      ['f2', bits(0x3c00, 0xc000, 0x7bff, 0x0001, 0xfc00, 0x7e00)],
    ] as const) {
      const f = decodeFloat32(b, wire)!;
      expect(f).toBeInstanceOf(Float32Array);
      expect(Array.from(f)).toEqual(Array.from(decodeWire(b, wire)));
    }
    // float32 at an odd offset of a bigger buffer: copied out, exactly.
    const odd = new Uint8Array(13);
    odd.set(new Uint8Array(Float32Array.of(1.5, -0.1, 3e38).buffer), 1);
    const f = decodeFloat32(odd.subarray(1), 'f4')!;
    expect(Array.from(f)).toEqual([1.5, Math.fround(-0.1), Math.fround(3e38)]);
    expect(f.byteOffset === 0 && f.buffer.byteLength === 12).toBe(true);
    expect(decodeFloat32(odd.subarray(1, 9), 'f8')).toBeNull();
    expect(decodeFloat32(odd.subarray(1, 9), 'i4')).toBeNull();
    // In a transfer: only the entry named, and only when its elements are float32 or narrower.
    const all = new Uint8Array(16);
    all.set(new Uint8Array(Float32Array.of(2.5, -1).buffer), 0);
    all.set(new Uint8Array(Int32Array.of(7, 3).buffer), 8);
    const t: TransferInfo = {
      layout: [
        { name: 'input', wire: 'f4', shape: [2], offset: 0, bytes: 8 },
        { name: 'target', wire: 'i4', shape: [2], offset: 8, bytes: 8 },
      ],
      bytes: 16,
      crc32: zlibCrc32(all),
    };
    const u = unpackFloat32(t, all, 'input');
    expect(Array.from(u.float32!.data)).toEqual([2.5, -1]);
    expect(u.parts.has('input')).toBe(false);
    expect(Array.from(u.parts.get('target')!.data)).toEqual([7, 3]);
    expect(unpackFloat32(t, all, 'target').float32).toBeNull();
    expect(unpackFloat32(t, all, 'target').parts.get('target')!.data).toBeInstanceOf(Float64Array);
  });

  it('checks each layout entry against its shape', () => {
    const data = bytesOf(16);
    expect(() =>
      unpack({ ...info(data), layout: [{ name: 'x', wire: 'f4', shape: [3], offset: 0, bytes: 16 }] }, data),
    ).toThrow(/does not match/);
    expect(() =>
      unpack({ ...info(data), layout: [{ name: 'x', wire: 'f4', shape: [8], offset: 0, bytes: 32 }] }, data),
    ).toThrow(/outside the buffer/);
  });

  it('opens envelopes: version, ok, and the error text of a failure', () => {
    expect(openEnvelope<{ a: number }>('{"v":1,"ok":true,"a":2}', 'x').a).toBe(2);
    expect(() => openEnvelope('{"v":2,"ok":true}', 'x')).toThrow(/version 1/);
    expect(() => openEnvelope("ZeroDivisionError('division by zero')", 'x')).toThrow(/not JSON/);
    expect(() => openEnvelope('{"v":1,"ok":false,"error":"\'logits\' is not defined"}', 'x')).toThrow(/logits/);
  });
});

describe('session state and stale frames', () => {
  it('moves the epoch on every stop, continue and end', () => {
    const s = new SessionState();
    expect(s.paused).toBe(false);
    s.onMessage({ type: 'event', event: 'stopped', body: { threadId: 3 } });
    expect([s.paused, s.stoppedThreadId, s.epoch]).toEqual([true, 3, 1]);
    s.onMessage({ type: 'event', event: 'continued', body: {} });
    expect([s.paused, s.stoppedThreadId, s.epoch]).toEqual([false, undefined, 2]);
    s.onMessage({ type: 'response', command: 'evaluate' });
    expect(s.epoch).toBe(2);
    s.onMessage({ type: 'event', event: 'terminated' });
    expect(s.epoch).toBe(3);
  });

  it('refuses an answer that arrives after the program moved on', async () => {
    const s = new SessionState();
    s.stopped(1);
    const session = {
      type: 'debugpy',
      customRequest: async () => {
        s.continued();
        return { result: '42' };
      },
    };
    await expect(request(session, s, s.epoch, 'evaluate', {})).rejects.toMatchObject({ code: 'stale_frame' });
  });

  it('needs a paused program', async () => {
    const session = { type: 'debugpy', customRequest: async () => ({}) };
    await expect(resolveFrame(session, new SessionState())).rejects.toMatchObject({ code: 'not_paused' });
  });

  it("recognises the adapters' ways of saying a frame is gone", () => {
    expect(isStaleReply('Unable to find thread for evaluation.')).toBe(true);
    expect(isStaleReply('Wrong ID sent from the client: 12')).toBe(true);
    expect(isStaleReply('Thread id: pid_8487_id_139917723730320 is not current thread id.')).toBe(true);
    expect(isStaleReply("name 'x' is not defined")).toBe(false);
  });
});
