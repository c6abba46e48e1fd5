/**
 * Operators of one or more characters (`==`, `**=`, `//`, `?.`, `...`), for both language
 * families: their code (a single character's own code, else an {@link Op}) and where they end.
 */
import { Char, Op } from './tokens';

/** The code of the operator {@link operatorEnd} last read (an out-slot: no allocation per token). */
export let operatorCode = 0;

/** Reads the operator starting with character `c` at `pos`; returns its end (its code in {@link operatorCode}). */
export function operatorEnd(text: string, pos: number, c: number, py: boolean): number {
  const d = text.charCodeAt(pos + 1);
  switch (c) {
    case Char.Eq:
      if (d === Char.Eq) {
        const e = text.charCodeAt(pos + 2) === Char.Eq ? pos + 3 : pos + 2;
        operatorCode = Op.EqEq;
        return e;
      }
      if (d === Char.Gt && !py) {
        operatorCode = Op.FatArrow;
        return pos + 2;
      }
      break;
    case Char.Bang:
      if (d === Char.Eq) {
        const e = text.charCodeAt(pos + 2) === Char.Eq ? pos + 3 : pos + 2;
        operatorCode = Op.NotEq;
        return e;
      }
      break;
    case Char.Lt:
    case Char.Gt:
      if (d === Char.Eq) {
        operatorCode = c === Char.Lt ? Op.LessEq : Op.GreaterEq;
        return pos + 2;
      }
      if (d === c) {
        const e = text.charCodeAt(pos + 2) === Char.Eq ? pos + 3 : pos + 2;
        operatorCode = e === pos + 3 ? Op.Aug : Op.Shift;
        return e;
      }
      break;
    case Char.Star:
      if (d === Char.Star) {
        if (text.charCodeAt(pos + 2) === Char.Eq) {
          operatorCode = Op.Aug;
          return pos + 3;
        }
        operatorCode = Op.Pow;
        return pos + 2;
      }
      break;
    case Char.Slash:
      if (d === Char.Slash && py) {
        if (text.charCodeAt(pos + 2) === Char.Eq) {
          operatorCode = Op.Aug;
          return pos + 3;
        }
        operatorCode = Op.FloorDiv;
        return pos + 2;
      }
      break;
    case Char.Minus:
      if (d === Char.Gt && py) {
        operatorCode = Op.Arrow;
        return pos + 2;
      }
      if (d === Char.Minus && !py) {
        operatorCode = Op.MinusMinus;
        return pos + 2;
      }
      break;
    case Char.Plus:
      if (d === Char.Plus && !py) {
        operatorCode = Op.PlusPlus;
        return pos + 2;
      }
      break;
    case Char.Colon:
      if (d === Char.Eq && py) {
        operatorCode = Op.Walrus;
        return pos + 2;
      }
      break;
    case Char.Amp:
      if (d === Char.Amp) {
        operatorCode = Op.AndAnd;
        return pos + 2;
      }
      break;
    case Char.Pipe:
      if (d === Char.Pipe) {
        operatorCode = Op.OrOr;
        return pos + 2;
      }
      break;
    case Char.Question:
      if (d === Char.Question) {
        operatorCode = Op.Nullish;
        return pos + 2;
      }
      if (d === Char.Dot && !isDigit(text.charCodeAt(pos + 2))) {
        operatorCode = Op.OptChain;
        return pos + 2;
      }
      break;
    case Char.Dot:
      if (d === Char.Dot && text.charCodeAt(pos + 2) === Char.Dot) {
        operatorCode = Op.Ellipsis;
        return pos + 3;
      }
      break;
    default:
      break;
  }
  // Augmented assignment: +=, -=, *=, /=, %=, &=, |=, ^=, @=.
  if (
    d === Char.Eq &&
    (c === Char.Plus ||
      c === Char.Minus ||
      c === Char.Star ||
      c === Char.Slash ||
      c === Char.Percent ||
      c === Char.Amp ||
      c === Char.Pipe ||
      c === Char.Caret ||
      c === Char.At)
  ) {
    operatorCode = Op.Aug;
    return pos + 2;
  }
  operatorCode = c;
  return pos + 1;
}

function isDigit(c: number): boolean {
  return c >= Char.Zero && c <= Char.Nine;
}
