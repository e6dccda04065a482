import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readManifests } from './read-manifests.ts'

describe('readManifests', () => {
  it('reads every shipped manifest without a problem, in name order', () => {
    const { manifests, errors } = readManifests()
    expect(errors).toEqual([])
    const ids = manifests.map((m) => m.id)
    expect(ids.length).toBeGreaterThan(5)
    expect(ids).toEqual([...ids].sort())
  })

  it('reports a broken file by name and keeps the good ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'))
    const good = readManifests().manifests[0]
    writeFileSync(join(dir, `${good?.id}.json`), JSON.stringify(good))
    writeFileSync(join(dir, 'zz-broken.json'), '{ not json')
    writeFileSync(join(dir, 'notes.txt'), 'ignored')
    const { manifests, errors } = readManifests(dir)
    expect(manifests.map((m) => m.id)).toEqual([good?.id])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^zz-broken\.json: not JSON/)
  })
})
