// Suricata content strings mix text and `|hex bytes|` (`"|07|version"`); a pattern matcher needs
// the bytes. Bytes are kept as a string of code points 0–255 (one char per byte).
import { fail, ok, type Result } from '../model/result.ts'
import { unquote } from './rule-parse.ts'

export interface ContentLiteral {
  negated: boolean
  bytes: string
}

export function decodeContent(raw: string): Result<ContentLiteral> {
  let text = raw.trim()
  const negated = text.startsWith('!')
  if (negated) text = text.slice(1).trim()
  if (!text.startsWith('"') || !text.endsWith('"')) return fail('content value is not quoted')
  const body = unquote(text)
  let bytes = ''
  let i = 0
  while (i < body.length) {
    const char = body[i] ?? ''
    if (char !== '|') {
      bytes += char
      i++
      continue
    }
    const end = body.indexOf('|', i + 1)
    if (end === -1) return fail('unterminated |hex| block in content')
    const hex = body.slice(i + 1, end).replace(/\s+/g, '')
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
      return fail(`bad hex in content: |${body.slice(i + 1, end)}|`)
    for (let h = 0; h < hex.length; h += 2)
      bytes += String.fromCharCode(Number.parseInt(hex.slice(h, h + 2), 16))
    i = end + 1
  }
  if (bytes === '') return fail('empty content')
  return ok({ negated, bytes })
}

export function isPrintableAscii(bytes: string): boolean {
  return /^[\x20-\x7e]+$/.test(bytes)
}
