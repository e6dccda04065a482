// Site variable values from people and scripts are arbitrary: whatever comes in, the validator
// answers (never throws), and what it accepts the runtime accepts too. Seeded random inputs built
// from valid values, their mutations and junk of every JSON type.
import { checkSiteSettings, type VariableIR } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { validateSiteSettings } from './validate-site-settings.ts'

const doc = { en: 'x', ja: 'x' }
const VARIABLES: VariableIR[] = [
  { name: 'nets', type: 'cidrs', default: ['10.0.0.0/8'], doc },
  { name: 'names', type: 'strings', default: [], doc },
  { name: 'counts', type: 'numbers', default: [], doc },
  { name: 'ports', type: 'ports', default: [22], doc },
  { name: 'zones', type: 'domains', default: [], doc },
  { name: 'label', type: 'string', default: 'a', doc },
  { name: 'limit', type: 'number', default: 5, doc },
  { name: 'flag', type: 'bool', default: false, doc },
]

// mulberry32: a small seeded generator, so a failure replays.
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const GOOD = ['10.0.0.5', '192.168.1.0/24', 'fd00::/8', 'corp.example', '3389', '22', 'true', 'x']
const JUNK = [
  '',
  ' ',
  '\n',
  ',',
  '10.0.0.300',
  '1e9',
  '-1',
  'http://a/',
  '☃',
  '\u0000',
  'a'.repeat(300),
]

function mutate(text: string, next: () => number): string {
  const chars = [...text]
  const at = Math.floor(next() * (chars.length + 1))
  const insert = String.fromCharCode(Math.floor(next() * 0x3000))
  if (next() < 0.5) chars.splice(at, 1)
  else chars.splice(at, 0, insert)
  return chars.join('')
}

function value(next: () => number, depth = 0): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)] as T
  switch (Math.floor(next() * 8)) {
    case 0:
      return pick(GOOD)
    case 1:
      return mutate(pick(GOOD), next)
    case 2:
      return pick(JUNK)
    case 3:
      return Math.floor(next() * 140_000) - 1000
    case 4:
      return next() < 0.5
    case 5:
      return null
    case 6:
      return depth > 1
        ? []
        : Array.from({ length: Math.floor(next() * 5) }, () => value(next, depth + 1))
    default:
      return Array.from({ length: Math.floor(next() * 4) }, () => pick(GOOD)).join(
        pick(['\n', ', ', ',']),
      )
  }
}

describe('validateSiteSettings on arbitrary input', () => {
  it('never throws, names only the keys it got, and what it accepts the runtime accepts', () => {
    const next = random(20261127)
    for (let i = 0; i < 3000; i++) {
      const input: Record<string, unknown> = {}
      for (const v of VARIABLES) if (next() < 0.5) input[v.name] = value(next)
      if (next() < 0.1) input[`$${VARIABLES[0]?.name}`] = value(next)
      if (next() < 0.05) input.unknown_thing = value(next)
      const checked = validateSiteSettings(VARIABLES, input)
      if (checked.ok) {
        expect(checkSiteSettings(VARIABLES, checked.overrides).problems).toEqual([])
        for (const name of Object.keys(checked.overrides))
          expect(Object.keys(input).map((k) => k.replace(/^\$/, ''))).toContain(name)
      } else {
        for (const [name, text] of Object.entries(checked.errors)) {
          expect(Object.keys(input).map((k) => k.replace(/^\$/, ''))).toContain(name)
          expect(text.en).toContain(`$${name}`)
          expect(text.ja).toContain(`$${name}`)
        }
      }
    }
  })
})
