/**
 * Loss recognisers of libraries other than torch, one file per library. The catalogue
 * (catalogue.ts) lists them after torch's entries.
 */
import { braintoolsEntries } from './braintools';
import { classyEntries } from './classy';
import type { LibraryEntry } from './entry';
import { dezeroSimpleEntries } from './dezeroSimple';
import { fastestimatorEntries } from './fastestimator';
import { kerasEntries } from './keras';
import { kerasBinaryEntries } from './kerasBinary';
import { mindsporeSparseEntries } from './mindsporeSparse';
import { mlxEntries } from './mlx';
import { mlxNodeEntries } from './mlxNode';
import { mxnetEntries } from './mxnet';
import { mxnetMetricEntries } from './mxnetMetric';
import { paddleEntries } from './paddle';
import { sigmoidOtherEntries } from './sigmoidOthers';
import { sklearnEntries } from './sklearn';
import { softmaxCopyEntries } from './softmaxCopies';
import { softmaxFamilyEntries } from './softmaxFamily';
import { tfjsEntries } from './tfjs';
import { tinygradEntries } from './tinygrad';
import { tfjsBinaryEntries } from './tfjsBinary';
import { tfV1LossEntries } from './tfV1Losses';
import { tfWeightedEntries } from './tfWeighted';
import { torchBinaryEntries } from './torchBinary';

export const libraryEntries: LibraryEntry[] = [
  ...kerasEntries,
  ...softmaxFamilyEntries,
  ...tfjsEntries,
  ...mlxEntries,
  ...mlxNodeEntries,
  ...sklearnEntries,
  ...torchBinaryEntries,
  ...kerasBinaryEntries,
  ...tfWeightedEntries,
  ...tfjsBinaryEntries,
  ...sigmoidOtherEntries,
  ...tfV1LossEntries,
  ...paddleEntries,
  ...softmaxCopyEntries,
  ...fastestimatorEntries,
  ...mxnetEntries,
  ...mxnetMetricEntries,
  ...braintoolsEntries,
  ...mindsporeSparseEntries,
  ...dezeroSimpleEntries,
  ...classyEntries,
  ...tinygradEntries,
];
