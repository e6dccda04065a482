// ET `metadata:` is `key value, key value, …` (keys repeat: several mitre_technique_id).
export function parseMetadata(values: readonly string[]): Map<string, string[]> {
  const metadata = new Map<string, string[]>()
  for (const value of values) {
    for (const item of value.split(',')) {
      const trimmed = item.trim()
      const space = trimmed.indexOf(' ')
      if (space === -1) continue
      const key = trimmed.slice(0, space)
      const list = metadata.get(key) ?? []
      list.push(trimmed.slice(space + 1).trim())
      metadata.set(key, list)
    }
  }
  return metadata
}
