// What a getter compiled from a dotted path reads, for the getter tables' tests: each step into
// an object, else undefined.
export function readPath(event: unknown, path: string): unknown {
  let value = event
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}
