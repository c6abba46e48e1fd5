/**
 * The @tensorflow/tfjs-core + tfjs-backend-cpu comparison: `tf.losses.softmaxCrossEntropy` with
 * one-hot labels (tfjs has no sparse-label cross-entropy), default reduction
 * SUM_BY_NONZERO_WEIGHTS, i.e. the mean over the batch like torch's default. float32 only.
 * Loaded lazily so the bench (and the RSS probe) runs without it.
 */
import type { BenchData } from './data';

type Tf = typeof import('@tensorflow/tfjs-core');

let tfPromise: Promise<Tf | { absent: string }> | null = null;

/** tfjs with the CPU backend active, or why it is absent. */
export function loadTfjs(): Promise<Tf | { absent: string }> {
  tfPromise ??= (async () => {
    try {
      const tf = await import('@tensorflow/tfjs-core');
      await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) return { absent: 'tfjs cpu backend failed to initialise' };
      await tf.ready();
      // The CPU backend prints a "install tfjs-node" banner on its first write in Node; the
      // comparison is with tfjs-backend-cpu on purpose, so the banner is skipped.
      (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
      return tf;
    } catch (err) {
      return { absent: `tfjs not installed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
    }
  })();
  return tfPromise;
}

/** Tensors for one size, built outside the timing; `call` runs and reads one loss. */
export interface TfjsCase {
  call(): number;
  dispose(): void;
}

export function tfjsCase(tf: Tf, d: BenchData): TfjsCase {
  const logits = tf.tensor2d(new Float32Array(d.logits), [d.n, d.c], 'float32');
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(d.targets), 'int32'), d.c), 'float32'));
  return {
    call(): number {
      const loss = tf.tidy(() => tf.losses.softmaxCrossEntropy(labels, logits));
      const v = loss.dataSync()[0];
      loss.dispose();
      return v;
    },
    dispose(): void {
      logits.dispose();
      labels.dispose();
    },
  };
}
