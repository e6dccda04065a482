/**
 * Creates `.dev.vars` next to wrangler.toml (the repo root) with fresh random local secrets,
 * keeping any value already there. `wrangler dev` reads the file; it is gitignored.
 *
 *   node edge/scripts/dev-vars.ts [--file PATH]
 *
 * Secrets (see wrangler.toml): SEALING_KEY, 32 random bytes in base64.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values: flags } = parseArgs({ options: { file: { type: 'string' } } })
const file = flags.file ?? fileURLToPath(new URL('../../.dev.vars', import.meta.url))

const secrets: Record<string, () => string> = {
  SEALING_KEY: () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
}

const existing = existsSync(file) ? readFileSync(file, 'utf8') : ''
const present = new Set(
  existing
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=/.exec(line)?.[1])
    .filter(Boolean),
)
const added = Object.keys(secrets).filter((name) => !present.has(name))
if (added.length > 0) {
  const lines = added.map((name) => `${name}="${secrets[name]?.()}"`)
  const prefix = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`
  writeFileSync(file, `${prefix}${lines.join('\n')}\n`, { mode: 0o600 })
}
process.stderr.write(`${file}: ${added.length ? `added ${added.join(', ')}` : 'up to date'}\n`)
