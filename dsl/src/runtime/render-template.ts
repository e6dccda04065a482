// Fills the `{field}` holes of alert text from the event that fired the rule.
import { compileValue, type Getter } from './compile-expr.ts'
import type { TemplateIR } from './ir.ts'
import type { SocEvent } from './types.ts'

export type Renderer = (event: SocEvent) => string

const UNKNOWN = { en: '(unknown)', ja: '（不明）' }

export function compileTemplate(template: TemplateIR, lang: 'en' | 'ja'): Renderer {
  const parts: (string | Getter)[] = template.map((part) =>
    typeof part === 'string' ? part : compileValue(part),
  )
  const unknown = UNKNOWN[lang]
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
