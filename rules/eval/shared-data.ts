// Where the shared captures and intel live: ../shared/data beside the repository.
import { fileURLToPath } from 'node:url'

export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url))
