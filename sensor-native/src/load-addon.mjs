/**
 * Loading the sensor's native addon, and opening a capture with it. Plain JavaScript, so
 * `socbox events` starts without TypeScript type stripping; native.ts and options.ts give these
 * their types (load-addon.d.mts only says what goes in).
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const loaderPath = fileURLToPath(new URL('../native/index.cjs', import.meta.url))
let addon

export function loadAddon() {
  if (addon) return addon
  if (!existsSync(loaderPath)) {
    throw new Error(
      `the sensor's native addon is not built (${loaderPath} is missing); run 'npm install' at the repository root, which builds it with cargo`,
    )
  }
  addon = createRequire(import.meta.url)(loaderPath)
  return addon
}

/**
 * Opens a capture for a subcommand, or explains on stderr why it cannot (unreadable file, not a
 * capture) and returns undefined, so each command exits 2 the same way.
 */
export function openCapture(command, file, options) {
  try {
    return new (loadAddon().FileSource)(file, options)
  } catch (err) {
    process.stderr.write(`socbox ${command}: ${err.message}\n`)
    return undefined
  }
}
