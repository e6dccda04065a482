// Fills the `{field}` holes of alert text from the event that fired the rule.
import { compilePathAccessor, compileValue, type Getter } from './compile-expr.ts'
import type { TemplateIR } from './ir.ts'
import type { SocEvent } from './types.ts'

export type Renderer = (event: SocEvent) => string

const UNKNOWN = { en: '(unknown)', ja: '（不明）' }

export function compileTemplate(template: TemplateIR, lang: 'en' | 'ja'): Renderer {
  // Adjacent text joined once; a text without holes is one constant string (most titles).
  const parts: (string | Getter)[] = []
  for (const part of template) {
    const last = parts.length - 1
    // Read by path: the views text is rendered from are copies of events (with aggregates and
    // steps), whose shapes would crowd the inline caches of the getters rules use per event.
    if (typeof part !== 'string') parts.push(compileValue(part, undefined, compilePathAccessor))
    else if (typeof parts[last] === 'string') parts[last] += part
    else parts.push(part)
  }
  const unknown = UNKNOWN[lang]
  if (parts.length === 0) return () => ''
  const [only] = parts
  if (parts.length === 1 && typeof only === 'string') return () => only
  return (event) => {
    let text = ''
    for (const part of parts) text += typeof part === 'string' ? part : show(part(event), unknown)
    return text
  }
}

function show(value: unknown, unknown: string): string {
  if (value === undefined || value === null) return unknown
  if (Array.isArray(value)) return value.map((v) => show(v, unknown)).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
