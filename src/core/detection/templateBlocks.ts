/**
 * Code blocks written with a static-site generator's template tags instead of a Markdown fence:
 * Jekyll/Liquid `{% highlight python %}` … `{% endhighlight %}` (older GitHub Pages blogs, many
 * tutorial posts) and Hugo's `{{< highlight python >}}` … `{{< /highlight >}}`. The tag's first
 * word after `highlight` is the language, as a fence's info string is (docs/detection.md 3.62).
 */

export interface TemplateOpening {
  /** Which closing tag ends the block. */
  template: 'liquid' | 'hugo';
  /** The language word (and any options), read like a fence's info string. */
  info: string;
}

const liquidOpen = /^[ \t]*\{%-?[ \t]*highlight[ \t]+([^%]*?)[ \t]*-?%\}[ \t]*$/;
const liquidClose = /^[ \t]*\{%-?[ \t]*endhighlight[ \t]*-?%\}[ \t]*$/;
const hugoOpen = /^[ \t]*\{\{<[ \t]*highlight[ \t]+([^>]*?)[ \t]*>\}\}[ \t]*$/;
const hugoClose = /^[ \t]*\{\{<[ \t]*\/[ \t]*highlight[ \t]*>\}\}[ \t]*$/;

/** The template tag that opens a code block on the line [start, end), if any. */
export function templateOpening(text: string, start: number, end: number): TemplateOpening | undefined {
  // Every opening tag starts with `{` after any indentation: most lines are dismissed without a regex.
  let k = start;
  while (k < end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  if (text.charCodeAt(k) !== 123 || end - k > 200) return undefined;
  const line = text.slice(start, end);
  const liquid = liquidOpen.exec(line);
  if (liquid) return { template: 'liquid', info: liquid[1] };
  const hugo = hugoOpen.exec(line);
  return hugo ? { template: 'hugo', info: hugo[1].replace(/^["']|["']$/g, '') } : undefined;
}

/** Whether the line [start, end) is the tag that closes a block `opening` opened. */
export function closesTemplate(text: string, start: number, end: number, opening: TemplateOpening): boolean {
  if (end - start > 200) return false;
  const line = text.slice(start, end);
  return opening.template === 'liquid' ? liquidClose.test(line) : hugoClose.test(line);
}
