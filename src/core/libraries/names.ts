/**
 * The libraries' names as people write them, one list for every surface that names a library: the
 * hover's and panel's headline (libraryView) and the library rules' own errors (index.ts), which
 * had a list each and drifted (MXNet was missing from the headline's).
 * Typed by LibraryName, so a library added there without a name here does not compile.
 */
import type { LibraryName } from './types';

const libraryNames: Record<LibraryName, string> = {
  keras: 'Keras',
  tensorflow: 'TensorFlow',
  tfjs: 'TensorFlow.js',
  'tfjs-layers': 'TensorFlow.js (tfjs-layers)',
  mlx: 'MLX',
  optax: 'optax',
  objax: 'Objax',
  braintools: 'braintools',
  'mlx-node': 'mlx-node',
  sklearn: 'scikit-learn',
  oneflow: 'OneFlow',
  torcheval: 'torcheval',
  torchmetrics: 'TorchMetrics',
  mindspore: 'MindSpore',
  paddle: 'PaddlePaddle',
  chainer: 'Chainer',
  dezero: 'DeZero',
  megengine: 'MegEngine',
  classy_vision: 'classy_vision',
  tinygrad: 'tinygrad',
  fastestimator: 'FastEstimator',
  mxnet: 'MXNet',
  torch: 'PyTorch',
};

/** The library's name as people write it: `Keras`, `scikit-learn`; an unknown id as it is. */
export function libraryDisplayName(library: string): string {
  return Object.prototype.hasOwnProperty.call(libraryNames, library) ? libraryNames[library as LibraryName] : library;
}
