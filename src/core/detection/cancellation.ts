/**
 * Stopping a detection run between statements. The caller passes `isCancelled` (the worker reads
 * a flag its host can set while the run is going on); the run checks it at every statement
 * boundary and stops by throwing this error, which the caller catches by its `code`.
 */
export class DetectionCancelled extends Error {
  readonly code = 'cancelled' as const;

  constructor() {
    super('The analysis was cancelled.');
    this.name = 'DetectionCancelled';
  }

  static is(err: unknown): err is DetectionCancelled {
    return err instanceof DetectionCancelled || (err instanceof Error && err.name === 'DetectionCancelled');
  }
}
