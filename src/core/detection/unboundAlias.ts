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

let lastDoc = { doc: '', megengine: false, mindspore: false };

function named(doc: string): typeof lastDoc {
  if (lastDoc.doc !== doc)
    lastDoc = {
      doc,
      megengine: /\bmegengine\b/.test(doc) && !/\btorch\b/.test(doc),
      mindspore: /\bmindspore\b/.test(doc),
    };
  return lastDoc;
}

/**
 * MindSpore's docstrings call `ops.…` and `mint.…` with `from mindspore import ops, mint` left out, as they
 * leave out the import of `nn` (docs/detection.md 3.362): in a document that names MindSpore those two unbound
 * names are its modules (no other library this reads has a top-level `ops` or `mint` of losses).
 */
const mindsporeModules = new Set(['ops', 'mint']);

export function unboundAlias(id: string, python: boolean, text: string, doc: string): string | undefined {
  if (python && id === 'F' && named(doc || text).megengine) return 'megengine.functional';
  if (python && mindsporeModules.has(id) && named(doc || text).mindspore) return 'mindspore.' + id;
  return defaultNames.get(id) ?? libraryAlias(id, python, text, doc);
}
