// Alert text with holes: "Lookup of {query} by {src.ip}". `{{` and `}}` stand for braces.
import type { TemplateIR } from '../runtime/ir.ts'

export type TemplateResult = {
  template: TemplateIR
  holes: { path: string; index: number }[]
  error?: { index: number; message: string }
}

export function parseTemplate(text: string): TemplateResult {
  const template: TemplateIR = []
  const holes: TemplateResult['holes'] = []
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
      return {
        template,
        holes,
        error: { index: i, message: 'a lone } in text (write }} for a brace)' },
      }
    if (char !== '{') {
      literal += char
      i++
      continue
    }
    const close = text.indexOf('}', i)
    const path = close < 0 ? '' : text.slice(i + 1, close).trim()
    if (close < 0 || !/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(path)) {
      return {
        template,
        holes,
        error: {
          index: i,
          message: 'a { in text must hold a field, e.g. {src.ip} (write {{ for a brace)',
        },
      }
    }
    if (literal) template.push(literal)
    literal = ''
    template.push({ ref: path })
    holes.push({ path, index: i })
    i = close + 1
  }
  if (literal) template.push(literal)
  return { template, holes }
}
