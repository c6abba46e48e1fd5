/**
 * Loss recognisers of libraries other than torch, one file per library. The catalogue
 * (catalogue.ts) lists them after torch's entries.
 */
import type { LibraryEntry } from './entry';
import { kerasEntries } from './keras';
import { mlxEntries } from './mlx';
import { sklearnEntries } from './sklearn';
import { softmaxFamilyEntries } from './softmaxFamily';
import { tfjsEntries } from './tfjs';
import { torchBinaryEntries } from './torchBinary';

export const libraryEntries: LibraryEntry[] = [
  ...kerasEntries,
  ...softmaxFamilyEntries,
  ...tfjsEntries,
  ...mlxEntries,
  ...sklearnEntries,
  ...torchBinaryEntries,
];
