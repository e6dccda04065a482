/** The agent's version: the sensor package's own, as the portal compares it with the latest. */
import { readFileSync } from 'node:fs'

let version: string | undefined

export function agentVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
  ).version
  return version
}
