/**
 * What VS Code's `postMessage` makes of a host message on its way to the webview (extensions for
 * VS Code ≥ 1.57): JSON, with typed arrays moved beside it as binary and put back as the same kind
 * of array. Tests pass encoded messages through it instead of a plain JSON round trip.
 */

export function throughPostMessage(message: unknown): unknown {
  const buffers: ArrayBufferView[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? { $typedArray: buffers.push(value) - 1 } : value,
  );
  return JSON.parse(json, (_key, value: unknown) => {
    const at = (value as { $typedArray?: unknown } | null)?.$typedArray;
    if (typeof at !== 'number') return value;
    const view = buffers[at] as Float64Array;
    return new (view.constructor as Float64ArrayConstructor)(view);
  });
}
