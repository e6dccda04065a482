import { describe, expect, it } from 'vitest'
import type { TemplateIR } from './ir.ts'
import { compileTexts, type TextsIR } from './render-template.ts'
import type { SocEvent } from './types.ts'

const texts = (en: TemplateIR, ja: TemplateIR, actions: [TemplateIR, TemplateIR][] = []) =>
  ({
    title: { en, ja },
    explain: { en: ['Seen from ', { ref: 'src.ip' }, '.'], ja: [{ ref: 'src.ip' }, ' から'] },
    actions: { en: actions.map(([a]) => a), ja: actions.map(([, b]) => b) },
  }) satisfies TextsIR

describe('compileTexts', () => {
  it('fills every text of both languages, and shows what is absent in each language', () => {
    const render = compileTexts(
      texts(
        [{ ref: 'query' }, ' by ', { ref: 'src.ip' }, ' (', { ref: 'rcode' }, ')'],
        [{ ref: 'src.ip' }, ' の ', { ref: 'query' }, '（', { ref: 'rcode' }, '）'],
        [
          [
            ['Block ', { ref: 'query' }],
            [{ ref: 'query' }, ' を遮断'],
          ],
        ],
      ),
    )
    const event = { kind: 'dns', ts: 1, query: 'evil.example', src: { ip: '10.0.0.5' } }
    expect(render(event)).toEqual({
      title: {
        en: 'evil.example by 10.0.0.5 ((unknown))',
        ja: '10.0.0.5 の evil.example（（不明））',
      },
      explain: { en: 'Seen from 10.0.0.5.', ja: '10.0.0.5 から' },
      actions: { en: ['Block evil.example'], ja: ['evil.example を遮断'] },
    })
  })

  it('reads each distinct hole once per alert, however many texts name it', () => {
    const render = compileTexts(
      texts(
        [{ ref: 'src.ip' }, ' ', { ref: 'src.ip' }],
        [{ ref: 'src.ip' }],
        [
          [[{ ref: 'src.ip' }], [{ ref: 'src.ip' }]],
          [[{ ref: 'src.ip' }], [{ ref: 'src.ip' }]],
        ],
      ),
    )
    let reads = 0
    const event = {
      kind: 'conn',
      ts: 1,
      get src() {
        reads++
        return { ip: '192.0.2.1' }
      },
    } as SocEvent
    expect(render(event).actions.ja).toEqual(['192.0.2.1', '192.0.2.1'])
    expect(reads).toBe(1)
  })

  it('shows lists element by element, with absent elements in the language of the text', () => {
    const render = compileTexts(texts([{ ref: 'answers' }], [{ ref: 'answers' }]))
    const shown = render({ kind: 'dns', ts: 1, answers: ['192.0.2.1', null, 7] })
    expect(shown.title).toEqual({ en: '192.0.2.1, (unknown), 7', ja: '192.0.2.1, （不明）, 7' })
  })

  it('keeps constant texts and empty templates as they are', () => {
    const render = compileTexts(texts(['Port scan'], []))
    expect(render({ kind: 'conn', ts: 1 }).title).toEqual({ en: 'Port scan', ja: '' })
  })

  it("reads a detection's fields by its kind's getters, with the same values as by path", () => {
    const ir = texts([{ ref: 'dst.port' }, '/', { ref: 'proto' }], [{ ref: 'dst.ip' }])
    const event = { kind: 'conn', ts: 1, proto: 'tcp', dst: { ip: '192.0.2.9', port: 445 } }
    expect(compileTexts(ir, 'conn')(event)).toEqual(compileTexts(ir)(event))
    expect(compileTexts(ir, 'conn')(event).title).toEqual({ en: '445/tcp', ja: '192.0.2.9' })
  })
})
