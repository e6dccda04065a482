// Node only: reads the list manifests of a folder (rules/intel/*.json) and their list files.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { IntelList, IntelListSource } from '../pack/intel-list.ts'
import { intelListsFrom, parseListText } from '../pack/intel-list.ts'
import type { IocKind } from '../runtime/types.ts'

export type IntelManifest = {
  id: string
  ioc: IocKind
  file: string
  source: string
  licence: string
  licenceFile?: string
  description?: string
}

const IOC_KINDS: readonly string[] = ['domain', 'ip', 'url', 'ja3', 'ja4', 'hash']

export function loadIntelFolder(folder: string): {
  lists: IntelListSource
  all: IntelList[]
  problems: string[]
} {
  const all: IntelList[] = []
  const problems: string[] = []
  const names = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .sort()
    : []
  for (const name of names) {
    const path = join(folder, name)
    let manifest: Partial<IntelManifest>
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<IntelManifest>
    } catch (error) {
      problems.push(`${path}: not valid JSON (${(error as Error).message})`)
      continue
    }
    const missing = (['id', 'ioc', 'file', 'source', 'licence'] as const).filter(
      (key) => typeof manifest[key] !== 'string',
    )
    if (missing.length > 0) {
      problems.push(`${path}: missing ${missing.join(', ')}`)
      continue
    }
    const { id, ioc, file, source, licence } = manifest as IntelManifest
    if (!IOC_KINDS.includes(ioc)) {
      problems.push(`${path}: ioc must be one of ${IOC_KINDS.join(', ')}`)
      continue
    }
    if (`${id}.json` !== name)
      problems.push(`${path}: the file name must be the list id (${id}.json)`)
    const listPath = join(dirname(path), file)
    if (!existsSync(listPath)) {
      problems.push(`${path}: list file ${file} not found`)
      continue
    }
    all.push({
      id,
      ioc,
      source,
      licence,
      entries: parseListText(readFileSync(listPath, 'utf8'), ioc),
    })
  }
  return { lists: intelListsFrom(all), all, problems }
}
