import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { validateManifest } from './feed-manifest.ts'

const MANIFESTS = fileURLToPath(new URL('../manifests/', import.meta.url))
const manifests = readdirSync(MANIFESTS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, value: JSON.parse(readFileSync(`${MANIFESTS}${f}`, 'utf8')) }))

describe('feed manifests', () => {
  it.each(manifests.map((m) => [m.file, m.value]))(
    '%s is valid and named after its id',
    (file, value) => {
      expect(validateManifest(value, file)).toEqual([])
      expect(file).toBe(`${value.id}.json`)
    },
  )
  it('records a licence for every file under shared/data/intel that is a feed, and ships no non-commercial data', () => {
    const disconnect = manifests.find((m) => m.value.id === 'disconnect')?.value
    expect(disconnect?.licence).toMatchObject({ spdx: 'CC-BY-NC-SA-4.0', shippable: false })
    for (const { value } of manifests) {
      if (/NC/.test(value.licence.spdx)) expect(value.licence.shippable).toBe(false)
    }
  })
  it('explains what is wrong with a bad manifest', () => {
    expect(
      validateManifest(
        {
          id: 'Bad Id',
          format: 'csv',
          source: { root: 'x', paths: [] },
          licence: {},
          updateIntervalHours: 0,
        },
        'bad.json',
      ),
    ).toEqual([
      'bad.json: id must be lowercase letters, digits and dashes',
      'bad.json: title is required',
      'bad.json: upstream is required',
      'bad.json: format must be one of maltrail-trails, maltrail-trails-csv, line-list, sslbl-certificates-csv, sslbl-ja3-csv, feodo-csv, suricata-rules, stix-bundle, disconnect-services',
      'bad.json: source.root must be "intel" or "repo"',
      'bad.json: source.paths must list at least one path',
      'bad.json: source.url is required (production location)',
      'bad.json: licence.spdx is required',
      'bad.json: licence.text is required',
      'bad.json: licence.shippable must be true or false',
      'bad.json: licence.reason must say why the feed is (not) shippable',
      'bad.json: updateIntervalHours must be a positive number',
    ])
  })
})
