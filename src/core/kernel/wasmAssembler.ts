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

/** Unsigned LEB128. */
function uleb(v: number, out: number[]): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Signed LEB128 (32-bit values). */
function sleb(v: number, out: number[]): void {
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

function f32Bytes(v: number): number[] {
  scratch.setFloat32(0, v, true);
  return [0, 1, 2, 3].map((i) => scratch.getUint8(i));
}

function f64Bytes(v: number): number[] {
  scratch.setFloat64(0, v, true);
  return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => scratch.getUint8(i));
}

function i32Bytes(v: number): number[] {
  scratch.setInt32(0, v, true);
  return [0, 1, 2, 3].map((i) => scratch.getUint8(i));
}

/**
 * One function body under construction. Methods append instructions; the opcodes are named after
 * the text format (`f32x4.mul` → `simd(Op.f32x4Mul)`), see {@link Op}.
 */
export class Func {
  readonly code: number[] = [];
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
    for (const b of bytes) this.code.push(b);
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
    return this.op(0x43, ...f32Bytes(v));
  }
  f64(v: number): this {
    return this.op(0x44, ...f64Bytes(v));
  }

  /** A SIMD instruction: prefix 0xfd, LEB opcode, then immediates. */
  simd(opcode: number, ...imm: number[]): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    for (const b of imm) this.code.push(b);
    return this;
  }

  /** v128.const with the same float32 in every lane. */
  f32x4(v: number): this {
    const b = f32Bytes(v);
    return this.simd(0x0c, ...b, ...b, ...b, ...b);
  }
  /** v128.const with the same float64 in both lanes. */
  f64x2(v: number): this {
    const b = f64Bytes(v);
    return this.simd(0x0c, ...b, ...b);
  }
  /** v128.const with four int32 lanes. */
  i32x4(a: number, b: number, c: number, d: number): this {
    return this.simd(0x0c, ...i32Bytes(a), ...i32Bytes(b), ...i32Bytes(c), ...i32Bytes(d));
  }

  /** v128.load with a byte offset (alignment hint 1 byte: rows start anywhere). */
  v128Load(offset = 0): this {
    this.code.push(0xfd, 0x00, 0x00);
    uleb(offset, this.code);
    return this;
  }
  /** Scalar memory access: `opcode` is e.g. 0x2a f32.load; `align` as log2 bytes. */
  mem(opcode: number, align: number, offset = 0): this {
    this.code.push(opcode, align);
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

  /** The encoded body: local declarations (runs of one type) and the code, terminated. */
  encode(): number[] {
    const out: number[] = [];
    const runs: Array<[number, number]> = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(runs.length, out);
    for (const [count, type] of runs) {
      uleb(count, out);
      out.push(type);
    }
    for (const b of this.code) out.push(b);
    out.push(0x0b);
    const sized: number[] = [];
    uleb(out.length, sized);
    return sized.concat(out);
  }
}

/** Opcodes used by the kernel (scalar ones are single bytes; SIMD ones follow the 0xfd prefix). */
export const Op = {
  // control / parametric
  select: 0x1b,
  return: 0x0f,
  // scalar memory
  f32Load: 0x2a,
  f64Load: 0x2b,
  f32Store: 0x38,
  f64Store: 0x39,
  // i32
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  // f32 / f64
  f32Lt: 0x5d,
  f64Lt: 0x63,
  f32Sub: 0x93,
  f32Div: 0x95,
  f32Max: 0x97,
  f64Max: 0xa5,
  f64Add: 0xa0,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
  // SIMD (after 0xfd)
  v128Store: 0x0b,
  i8x16Shuffle: 0x0d,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f,
  f64x2ExtractLane: 0x21,
  i32x4LtS: 0x39,
  f32x4Lt: 0x43,
  v128Andnot: 0x4f,
  v128Bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Pmax: 0xeb,
  f64x2Add: 0xf0,
  f64x2Pmax: 0xf7,
} as const;

export interface ExportedFunc {
  name: string;
  func: Func;
}

function section(id: number, content: number[]): number[] {
  const out = [id];
  uleb(content.length, out);
  return out.concat(content);
}

function name(s: string, out: number[]): void {
  uleb(s.length, out);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/**
 * A module that imports its memory as `env.memory` (at least `minPages` 64 KiB pages) and exports
 * the given functions.
 */
export function assembleModule(funcs: readonly ExportedFunc[], minPages: number): Uint8Array {
  const types: number[] = [];
  uleb(funcs.length, types);
  for (const { func } of funcs) {
    types.push(0x60);
    uleb(func.params.length, types);
    types.push(...func.params);
    uleb(func.results.length, types);
    types.push(...func.results);
  }
  const imports: number[] = [1];
  name('env', imports);
  name('memory', imports);
  imports.push(0x02, 0x00);
  uleb(minPages, imports);
  const fnSec: number[] = [];
  uleb(funcs.length, fnSec);
  funcs.forEach((_, i) => uleb(i, fnSec));
  const exports: number[] = [];
  uleb(funcs.length, exports);
  funcs.forEach(({ name: n }, i) => {
    name(n, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  const code: number[] = [];
  uleb(funcs.length, code);
  for (const { func } of funcs) code.push(...func.encode());
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, fnSec),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
