import type { ErrorCode, ErrorDetail, ErrorInfo } from './types';

/**
 * An error with a stable `code`. Thrown only inside core modules and turned into an
 * {@link ErrorInfo} value at their public boundary; callers match on `code`, never on text.
 */
export class KernelError extends Error implements ErrorInfo {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Which of Loss Inspector's own sentences `message` is, for the surfaces to translate (see ErrorInfo). */
    readonly detail?: ErrorDetail,
  ) {
    super(message);
    this.name = 'KernelError';
  }

  static is(value: unknown): value is KernelError {
    return value instanceof KernelError;
  }

  toInfo(): ErrorInfo {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }
}

/** Any thrown value as an ErrorInfo; unknown errors become `internal`. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (KernelError.is(err)) return err.toInfo();
  if (isErrorInfo(err))
    return err.detail
      ? { code: err.code, message: err.message, detail: err.detail }
      : { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    typeof (value as ErrorInfo).message === 'string'
  );
}

/** Formats a shape the way torch prints sizes: `[2, 10]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
