/**
 * The text a React page renders from template literals written as an element's only child:
 * `<Mx block>{`…`}</Mx>`, `<Code>{`…`}</Code>`, `<pre>{`…`}</pre>`. A course written as a React
 * component keeps its worked examples and its code listings there, and they are the page a reader
 * sees, as a Markdown page's text and fences are. Every other string of the file stays code: a
 * template literal assigned, passed or returned is data the program prints or replaces, never page
 * text (a diagram tool's replacement pattern holding `-log(0.7) = 0.357` is no loss). A literal with
 * `${…}` in it is text the program computes, not text written, and is left out too.
 *
 * The result keeps every offset and line break of the file and blanks everything else, so what is
 * read in it is reported where it is written. Linear in the text.
 */
import { blanked } from './lines';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** `>{` (spaces allowed) right before offset `i`, the opening backtick: the offset of `>`, or -1. */
function childOpens(text: string, i: number): number {
  let b = i - 1;
  while (b >= 0 && isSpace(text[b])) b--;
  if (text[b] !== '{') return -1;
  b--;
  while (b >= 0 && isSpace(text[b])) b--;
  return text[b] === '>' ? b : -1;
}

/** `}</` (spaces allowed) right after offset `j`, the closing backtick. */
function childCloses(text: string, j: number): boolean {
  let a = j + 1;
  while (a < text.length && isSpace(text[a])) a++;
  if (text[a] !== '}') return false;
  a++;
  while (a < text.length && isSpace(text[a])) a++;
  return text[a] === '<' && text[a + 1] === '/';
}

/** Elements whose child is a code listing (read as Python); any other element's child is page text. */
const codeElements = /^(?:Code|CodeBlock|pre|code|Highlight|SyntaxHighlighter|Prism\w*)$/;

/** The name of the element whose `>` is at offset `gt`: back to its `<`, within a short tag. */
function elementName(text: string, gt: number): string {
  const from = Math.max(0, gt - 300);
  let lt = gt;
  while (lt >= from && text[lt] !== '<') lt--;
  if (lt < from) return '';
  const m = /^<([A-Za-z][\w.]*)/.exec(text.slice(lt, gt));
  return m ? m[1] : '';
}

/** Quick test: the file has a template literal written as an element's child. */
export function hasJsxTextChildren(text: string): boolean {
  return /\{\s*`/.test(text) && /`\s*\}\s*<\//.test(text);
}

export interface JsxChildren {
  /** The file with only the children kept (offsets and line breaks intact). */
  text: string;
  /** The file with only the code listings kept, and where each ends (segments for the reader). */
  code: string;
  codeEnds: number[];
}

/** The template-literal children of a React file (see above), as page text and as code listings. */
export function jsxTextChildren(text: string): JsxChildren {
  const all: string[] = [];
  const code: string[] = [];
  const codeEnds: number[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '`' || text[i - 1] === '\\') continue;
    let j = i + 1;
    while (j < text.length && !(text[j] === '`' && text[j - 1] !== '\\')) j++;
    if (j >= text.length) break;
    const body = text.slice(i + 1, j);
    const gt = childOpens(text, i);
    const kept = gt >= 0 && childCloses(text, j) && !body.includes('${') ? body.replace(/\\`/g, ' `') : null;
    const listing = kept !== null && codeElements.test(elementName(text, gt));
    const before = blanked(text.slice(from, i + 1));
    all.push(before, kept ?? blanked(body));
    code.push(before, listing ? kept : blanked(body));
    if (listing) codeEnds.push(j);
    from = j;
    i = j;
  }
  const rest = blanked(text.slice(from));
  all.push(rest);
  code.push(rest);
  return { text: all.join(''), code: code.join(''), codeEnds };
}
