/**
 * What a name the source never binds stands for: the common aliases (`torch`, `np`, `F`, `nn`, …,
 * names.ts) or a library alias the document implies (constructors.ts). One exception to the
 * aliases: an unbound `F` in a document that names MegEngine and never torch is
 * `megengine.functional`, as MegEngine's API pages write their examples (`F.nn.cross_entropy(pred,
 * label)` with the import left out; docs/detection.md 3.165).
 */
import { defaultNames } from './names';
import { libraryAlias } from './recognisers/constructors';

export { isLibraryConstructor } from './recognisers/constructors';

let lastDoc = { doc: '', megengine: false };

function megengineOnly(doc: string): boolean {
  if (lastDoc.doc !== doc) lastDoc = { doc, megengine: /\bmegengine\b/.test(doc) && !/\btorch\b/.test(doc) };
  return lastDoc.megengine;
}

export function unboundAlias(id: string, python: boolean, text: string, doc: string): string | undefined {
  if (python && id === 'F' && megengineOnly(doc || text)) return 'megengine.functional';
  return defaultNames.get(id) ?? libraryAlias(id, python, text, doc);
}
