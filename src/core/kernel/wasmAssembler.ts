/**
 * A tiny WebAssembly assembler: just enough of the binary format (MVP + fixed-width SIMD) to emit
 * the kernel's module from TypeScript at run time. The module is a few hundred bytes built on
 * first use, so there is no build step, no `.wasm` file to ship or locate, and no Node import —
 * the same code runs in a browser Web Worker.
 *
 * Reference: https://webassembly.github.io/spec/core/binary/ (instructions, modules) and the SIMD
 * opcode table https://github.com/WebAssembly/simd/blob/main/proposals/simd/BinarySIMD.md.
 */

/** Value types. */
export const i32 = 0x7f;
export const f32 = 0x7d;
export const f64 = 0x7c;
export const v128 = 0x7b;

/** Where the assembler writes bytes: a number array (short pieces) or {@link Bytes} (function bodies). */
interface ByteSink {
  push(b: number): unknown;
}

/**
 * A growing byte buffer for a function body. Kept as a JS number array a body costs 8 bytes a byte
 * (and its growth): assembling the ~450 KB module that way on first use grew the heap by ~15 MB, 1.5x a
 * 10 MB file's size in the peak memory of analysing it (npm run bench, goal < 4x the file).
 */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  push(b: number): void {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
  }

  /** The bytes written so far (a view: the next push may reuse or replace the buffer). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Unsigned LEB128. */
function uleb(v: number, out: ByteSink): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Signed LEB128 (32-bit values). */
function sleb(v: number, out: ByteSink): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const scratch = new DataView(new ArrayBuffer(8));

/** Appends the first `n` bytes of `scratch` to `dest`, `times` times. */
function pushScratch(dest: ByteSink, n: number, times = 1): void {
  for (let t = 0; t < times; t++) for (let i = 0; i < n; i++) dest.push(scratch.getUint8(i));
}

/**
 * One function body under construction. Methods append instructions; the opcodes are named after
 * the text format (`f32x4.mul` → `simd(Op.f32x4Mul)`), see {@link Op}.
 */
export class Func {
  readonly code = new Bytes();
  private readonly localTypes: number[] = [];

  constructor(
    readonly params: readonly number[],
    readonly results: readonly number[],
  ) {}

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this {
    for (let i = 0; i < bytes.length; i++) this.code.push(bytes[i]);
    return this;
  }

  get(i: number): this {
    this.code.push(0x20);
    uleb(i, this.code);
    return this;
  }
  set(i: number): this {
    this.code.push(0x21);
    uleb(i, this.code);
    return this;
  }
  tee(i: number): this {
    this.code.push(0x22);
    uleb(i, this.code);
    return this;
  }
  i32(v: number): this {
    this.code.push(0x41);
    sleb(v | 0, this.code);
    return this;
  }
  f32(v: number): this {
    this.code.push(0x43);
    scratch.setFloat32(0, v, true);
    pushScratch(this.code, 4);
    return this;
  }
  f64(v: number): this {
    this.code.push(0x44);
    scratch.setFloat64(0, v, true);
    pushScratch(this.code, 8);
    return this;
  }

  /** A SIMD instruction: prefix 0xfd, LEB opcode, then immediates. */
  simd(opcode: number, ...imm: number[]): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    for (let i = 0; i < imm.length; i++) this.code.push(imm[i]);
    return this;
  }

  /** v128.const with the same float32 in every lane. */
  f32x4(v: number): this {
    this.simd(0x0c);
    scratch.setFloat32(0, v, true);
    pushScratch(this.code, 4, 4);
    return this;
  }
  /** v128.const with the same float64 in both lanes. */
  f64x2(v: number): this {
    this.simd(0x0c);
    scratch.setFloat64(0, v, true);
    pushScratch(this.code, 8, 2);
    return this;
  }
  /** v128.const with four int32 lanes. */
  i32x4(a: number, b: number, c: number, d: number): this {
    this.simd(0x0c);
    for (const v of [a, b, c, d]) {
      scratch.setInt32(0, v, true);
      pushScratch(this.code, 4);
    }
    return this;
  }

  /** v128.const with the same 64-bit integer in both lanes (two's complement). */
  i64x2(v: number | bigint): this {
    return this.i64x2Lanes(v, v);
  }
  /** v128.const with two 64-bit integer lanes. */
  i64x2Lanes(a: number | bigint, b: number | bigint): this {
    this.simd(0x0c);
    for (const v of [a, b]) {
      scratch.setBigInt64(0, BigInt(v), true);
      pushScratch(this.code, 8);
    }
    return this;
  }

  /** v128.load with a byte offset (alignment hint 1 byte: rows start anywhere). */
  v128Load(offset = 0): this {
    this.code.push(0xfd);
    this.code.push(0x00);
    this.code.push(0x00);
    uleb(offset, this.code);
    return this;
  }
  /** v128.store with a byte offset (alignment hint 1 byte). */
  v128Store(offset = 0): this {
    this.code.push(0xfd);
    this.code.push(0x0b);
    this.code.push(0x00);
    uleb(offset, this.code);
    return this;
  }
  /** Calls function `index` (imported functions come first in the index space). */
  call(index: number): this {
    this.code.push(0x10);
    uleb(index, this.code);
    return this;
  }
  /** Scalar memory access: `opcode` is e.g. 0x2a f32.load; `align` as log2 bytes. */
  mem(opcode: number, align: number, offset = 0): this {
    this.code.push(opcode);
    this.code.push(align);
    uleb(offset, this.code);
    return this;
  }

  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.op(0x0d, depth);
  }

  /** Adds the encoded body to `dest`: its size, local declarations (runs of one type), the code. */
  encode(dest: Pieces): void {
    const head: number[] = [];
    const runs: Array<[number, number]> = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(runs.length, head);
    for (const [count, type] of runs) {
      uleb(count, head);
      head.push(type);
    }
    const size: number[] = [];
    uleb(head.length + this.code.length + 1, size);
    dest.add(size);
    dest.add(head);
    dest.add(this.code.view());
    dest.add([0x0b]);
  }
}

/** Opcodes used by the kernel (scalar ones are single bytes; SIMD ones follow the 0xfd prefix). */
export const Op = {
  // control / parametric
  select: 0x1b,
  return: 0x0f,
  drop: 0x1a,
  // scalar memory
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  // i32
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Clz: 0x67,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  // f32 / f64
  f32Eq: 0x5b,
  f32Ne: 0x5c,
  f32Lt: 0x5d,
  f32Ge: 0x60,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Ge: 0x66,
  f32Neg: 0x8c,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  f32Min: 0x96,
  f32Max: 0x97,
  f64Neg: 0x9a,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
  i64ExtendI32U: 0xad,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
  // SIMD (after 0xfd)
  v128Store: 0x0b,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  i64x2Splat: 0x12,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  i32x4LtS: 0x39,
  f32x4Lt: 0x43,
  f64x2Lt: 0x49,
  v128Andnot: 0x4f,
  v128Bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  i64x2Shl: 0xcb,
  i64x2ShrS: 0xcc,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  i64x2LtS: 0xd8,
  f32x4Neg: 0xe1,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
  f64x2Neg: 0xed,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
} as const;

export interface ExportedFunc {
  name: string;
  func: Func;
}

/**
 * Appends `src` to `dest` one element at a time: the module is ~37 KB, and spreading or
 * concatenating arrays that size made assembling it cost ~250 ms in V8's interpreter.
 */
function append(dest: number[], src: readonly number[]): void {
  for (let i = 0; i < src.length; i++) dest.push(src[i]);
}

/**
 * A module's bytes as the arrays they were emitted in, copied once into one Uint8Array by
 * {@link Pieces.join}: appending every function's code element by element to a section, then the
 * section to the module, was half the time of assembling the 340-450 KB module (20-28 ms).
 */
class Pieces {
  private readonly parts: Array<ArrayLike<number>> = [];
  length = 0;

  add(part: ArrayLike<number>): void {
    this.parts.push(part);
    this.length += part.length;
  }

  /** Adds every piece of `other`, in order. */
  addAll(other: Pieces): void {
    for (const part of other.parts) this.add(part);
  }

  join(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function section(id: number, content: number[] | Pieces, dest: Pieces): void {
  const head = [id];
  uleb(content.length, head);
  dest.add(head);
  if (content instanceof Pieces) dest.addAll(content);
  else dest.add(content);
}

function name(s: string, out: number[]): void {
  uleb(s.length, out);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/** A function the module imports from `env`; its index is its position in the list. */
export interface ImportedFunc {
  name: string;
  params: readonly number[];
  results: readonly number[];
}

export interface ModuleOptions {
  /** Least memory size in 64 KiB pages. */
  minPages: number;
  /**
   * Import a shared memory (threads proposal: limits flag 3, so a maximum is required), which
   * several instances in several threads can use at once. The imported memory's maximum must not
   * exceed `maxPages`.
   */
  shared?: boolean;
  /** Largest size in pages, for a shared memory. Default 65536 (4 GiB, wasm32's limit). */
  maxPages?: number;
  /** Functions imported from `env` (called by index 0, 1, …; the module's own follow). */
  imports?: readonly ImportedFunc[];
}

/**
 * A module that imports its memory as `env.memory` and the given functions from `env`, and
 * exports the given functions.
 */
export function assembleModule(funcs: readonly ExportedFunc[], options: ModuleOptions): Uint8Array {
  const imported = options.imports ?? [];
  const signatures = [...imported, ...funcs.map((f) => f.func)];
  const types: number[] = [];
  uleb(signatures.length, types);
  for (const sig of signatures) {
    types.push(0x60);
    uleb(sig.params.length, types);
    append(types, sig.params);
    uleb(sig.results.length, types);
    append(types, sig.results);
  }
  const imports: number[] = [];
  uleb(imported.length + 1, imports);
  imported.forEach((fn, i) => {
    name('env', imports);
    name(fn.name, imports);
    imports.push(0x00);
    uleb(i, imports);
  });
  name('env', imports);
  name('memory', imports);
  if (options.shared) {
    imports.push(0x02, 0x03);
    uleb(options.minPages, imports);
    uleb(options.maxPages ?? 65536, imports);
  } else {
    imports.push(0x02, 0x00);
    uleb(options.minPages, imports);
  }
  const fnSec: number[] = [];
  uleb(funcs.length, fnSec);
  funcs.forEach((_, i) => uleb(imported.length + i, fnSec));
  const exports: number[] = [];
  uleb(funcs.length, exports);
  funcs.forEach(({ name: n }, i) => {
    name(n, exports);
    exports.push(0x00);
    uleb(imported.length + i, exports);
  });
  const code = new Pieces();
  const count: number[] = [];
  uleb(funcs.length, count);
  code.add(count);
  for (const { func } of funcs) func.encode(code);
  const out = new Pieces();
  out.add([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(1, types, out);
  section(2, imports, out);
  section(3, fnSec, out);
  section(7, exports, out);
  section(10, code, out);
  return out.join();
}
