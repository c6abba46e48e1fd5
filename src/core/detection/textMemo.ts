/**
 * A question asked of a document's text by every call or name (is `name` defined here, where is it
 * used), answered by one search per text and key however many statements ask: the last text's
 * answers are kept, and a new text starts afresh. Detection reads one text at a time, so a file of
 * thousands of such statements stays linear.
 */
export function perTextMemo<V>(search: (text: string, key: string) => V): (text: string, key: string) => V {
  let kept: { text: string; answers: Map<string, V> } = { text: '', answers: new Map() };
  return (text, key) => {
    if (kept.text !== text) kept = { text, answers: new Map() };
    if (!kept.answers.has(key)) kept.answers.set(key, search(text, key));
    return kept.answers.get(key) as V;
  };
}
