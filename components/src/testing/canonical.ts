const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A copy with object keys sorted at every level, so written files do not depend on registration order. */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => canonical(v)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.keys(value as object)
      .sort(compare)
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}
