// Alert text with holes: "Lookup of {query} by {src.ip}". `{{` and `}}` stand for braces. A hole
// holds what an operand may be (a field, a function of fields, in a correlation an aggregate);
// the checker parses and types each hole.

export type TemplatePart = string | { hole: string; index: number }

export type TemplateResult = { parts: TemplatePart[]; error?: { index: number; message: string } }

export function parseTemplate(text: string): TemplateResult {
  const parts: TemplatePart[] = []
  let literal = ''
  let i = 0
  while (i < text.length) {
    const char = text[i]
    const next = text[i + 1]
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      literal += char
      i += 2
      continue
    }
    if (char === '}')
      return { parts, error: { index: i, message: 'a lone } in text (write }} for a brace)' } }
    if (char !== '{') {
      literal += char
      i++
      continue
    }
    const close = text.indexOf('}', i)
    const hole = close < 0 ? '' : text.slice(i + 1, close)
    if (close < 0 || hole.trim() === '' || hole.includes('{')) {
      return {
        parts,
        error: {
          index: i,
          message: 'a { in text must hold a field, e.g. {src.ip} (write {{ for a brace)',
        },
      }
    }
    if (literal) parts.push(literal)
    literal = ''
    parts.push({ hole, index: i })
    i = close + 1
  }
  if (literal) parts.push(literal)
  return { parts }
}
