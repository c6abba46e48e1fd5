/**
 * Whether a Markdown code block's last line of code is a top-level `print(…)` call: a value printed
 * without any repr around it (numpy's `[0.1 0.2]`) is only that print's output when the print is
 * what the block ends with (a plain line after an assignment is prose or data, not output).
 */
export function printLast(code: string): boolean {
  const trimmed = code.trimEnd();
  const last = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return /^print\s*\(.*\)\s*$/.test(last);
}
