import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'

function check(body: string, title = '{src.ip}') {
  const text = `sequence "SB-TEST-0001" version 1 {
  title { en "${title}" }
  class "download.malware"
  severity high
  ${body}
}`
  const { rules, diagnostics } = compileRules([{ path: 'r.soc', text }], undefined)
  return {
    ir: rules[0]?.ir,
    messages: diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`),
  }
}

const steps = `within 10m
  step dl on http where ends_with(lower(uri), ".exe") by src.ip
  absent av on dns where query == "update.av.example" by src.ip
  step c2 on conn where dst.port in [4444, 8443] by src.ip
  until on dns where query == "isolated.example" by src.ip`

describe('sequences', () => {
  it('lower to steps typed by their own kind, with step fields in text', () => {
    const { ir, messages } = check(steps, '{dl.host} then {dst.ip}')
    expect(messages).toEqual([])
    expect(ir).toMatchObject({
      type: 'sequence',
      within: 600_000,
      steps: [
        { label: 'dl', on: 'http', absent: false, key: [{ ref: 'src.ip' }] },
        { label: 'av', on: 'dns', absent: true },
        { label: 'c2', on: 'conn', absent: false },
      ],
      until: { on: 'dns' },
      title: { en: [{ ref: 'dl.host' }, ' then ', { ref: 'dst.ip' }] },
    })
  })

  it.each([
    [
      'step a on http by src.ip',
      ['1:10 sequence SB-TEST-0001 has no within', '1:10 a sequence needs at least two steps'],
    ],
    [
      'within 1m step a on http by src.ip step b on conn',
      ['5:38 every step needs by: the values that join it to the other steps'],
    ],
    [
      'within 1m step a on http by src.ip step b on conn by src.ip, dst.ip',
      ['5:38 this step joins by 2 value(s), the first step by 1'],
    ],
    ['within 1m step a on http by src.ip step a on conn by src.ip', ['5:43 step a is named twice']],
    [
      'within 1m absent a on http by src.ip step b on conn by src.ip step c on dns by src.ip',
      ['5:13 an absent step must sit between two steps'],
    ],
    [
      'within 1m step a on htp by src.ip step b on conn by src.ip',
      ['5:23 unknown event kind htp', '1:10 a sequence needs at least two steps'],
    ],
    [
      'within 1m step a on http where query == "x" by src.ip step b on conn by src.ip',
      ['5:34 http events have no field query'],
    ],
    [
      'within 1m step a on http by src.ip step b on conn by src.ip on dns',
      ['5:63 on does not belong in a sequence'],
    ],
  ])('%s', (body, messages) => {
    expect(check(body).messages).toEqual(messages)
  })

  it('checks step fields named in text', () => {
    const text = `sequence "SB-TEST-0002" version 1 {
  title { en "{dl.nope}" }
  class "download.malware"
  severity high
  within 1m
  step dl on http by src.ip
  step c2 on conn by src.ip
}`
    const { diagnostics } = compileRules([{ path: 'r.soc', text }], undefined)
    expect(diagnostics.map((d) => d.message)).toEqual(['http events have no field nope'])
  })
})
