// Where tests find the shared data set: `../shared/data` beside the repository (as build.ts
// assumes), or SOCBOX_SHARED_DATA when it lives elsewhere.
import { resolve } from 'node:path'

const REPO = resolve(import.meta.dirname, '../../..')

export const SHARED_DATA = process.env.SOCBOX_SHARED_DATA ?? resolve(REPO, '../shared/data')
export const INTEL = resolve(SHARED_DATA, 'intel')
