/** deepFreeze makes a validated configuration immutable, so no stage can change it behind the others. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) {
      // Plugins (functions and objects holding schemas) are shared; freeze only plain data.
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) deepFreeze(v);
      else if (Array.isArray(v)) deepFreeze(v);
    }
  }
  return value;
}
