/**
 * Review diffs in Markdown (docs/detection.md 3.117): a ```` ```diff ```` fence whose lines after the
 * change read as Python is read as that code, at the same offsets.
 */
import { contentKind } from './fenceKinds';

export const diffInfo = /^(?:diff|patch|udiff)\b/i;

/**
 * A unified diff's lines as the code after the change, at the same offsets: an added or kept line
 * loses its one-character mark (`+`, a space), a removed line and the hunk and file headers
 * (`@@ … @@`, `--- a/…`, `+++ b/…`, `diff --git`, `index …`) are blanked.
 */
export function diffCode(code: string): string {
  return code
    .split(/(\r\n|\r|\n)/)
    .map((line) => {
      if (/^(\r\n|\r|\n)$/.test(line)) return line;
      if (/^(?:@@|\+\+\+ |--- |diff --git |index |\\ No newline)/.test(line) || line.startsWith('-'))
        return line.replace(/[^\r\n]/g, ' ');
      return line.startsWith('+') ? ' ' + line.slice(1) : line;
    })
    .join('');
}

/** A diff fence whose code after the change reads as Python (every line a hunk line or a header). */
export function diffPython(content: string): boolean {
  const rows = content.split(/\r\n|\r|\n/).filter((l) => l !== '');
  if (rows.length === 0 || !rows.every((l) => /^[-+ @\\]|^diff --git |^index /.test(l))) return false;
  return contentKind(diffCode(content)) === 'python';
}
