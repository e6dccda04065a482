// abuse.ch CSVs quote some fields and not others; a split on "," would break on a quoted comma.
/** Splits one CSV record (RFC 4180 quoting, no embedded newlines); undefined if quotes are unbalanced. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') {
        quoted = false
      } else {
        field += char
      }
    } else if (char === '"') {
      quoted = true
    } else if (char === ',') {
      fields.push(field)
      field = ''
    } else {
      field += char
    }
  }
  if (quoted) return undefined
  fields.push(field)
  return fields
}
