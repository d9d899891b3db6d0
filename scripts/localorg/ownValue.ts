/**
 * `table[key]` when `key` is one of the table's own entries, else undefined. The local org looks names
 * from requests (REST areas, GraphQL operators, SOQL functions, metadata folders) up in constant
 * tables; a plain index would also find what every object inherits (`constructor`, `toString`,
 * `__proto__`) and answer `/services/data/vXX.X/constructor` with "does not implement function Object()".
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  // eslint-disable-next-line security/detect-object-injection -- read only after Object.hasOwn: never an inherited member
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
