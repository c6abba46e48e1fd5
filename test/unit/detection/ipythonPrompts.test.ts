/**
 * ipythonPrompts.ts: IPython's prompts rewritten as console prompts of the same width, offsets and
 * line breaks unchanged, and only where they are a session's (an `Out[n]:` needs its own cell).
 */
import { describe, expect, it } from 'vitest';
import { hasIpythonPrompts, ipythonAsConsole } from '../../../src/core/detection/ipythonPrompts';

describe('ipythonAsConsole', () => {
  it('keeps every offset and line break and the code at its column', () => {
    const text = 'In [7]: x = f([1,\r\n   ...:        2])\nOut[7]: 0.5\n';
    const out = ipythonAsConsole(text);
    expect(out).not.toBeNull();
    expect(out!.length).toBe(text.length);
    expect(out!.split(/\r\n|\n/).map((l) => l.length)).toEqual(text.split(/\r\n|\n/).map((l) => l.length));
    expect(out).toBe('>>>     x = f([1,\r\n...            2])\n        0.5\n');
  });

  it('reads an Out line only under its own cell, and a ...: line only inside one', () => {
    expect(ipythonAsConsole('note\nOut[3]: 1.5\n')).toBeNull();
    const text = 'In [1]: a = 1\n\nOut[2]: 7\n   ...: b\n';
    expect(ipythonAsConsole(text)).toBe('>>>     a = 1\n\nOut[2]: 7\n   ...: b\n');
  });

  it('leaves a notebook page’s cell marker (no code after the colon) to the page reader', () => {
    expect(hasIpythonPrompts('In [3]:\nimport torch\n')).toBe(false);
    expect(ipythonAsConsole('In [3]:\nimport torch\n')).toBeNull();
  });
});
