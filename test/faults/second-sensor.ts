/**
 * Registers a second sensor in the demo tenant, straight in the local D1 (the seed makes only
 * one, and there is no registration API yet): a credential the edge accepts, for a sensor other
 * than the one whose batches are signed.
 */
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { wranglerEnv } from '../../scripts/local-stack.ts'
import { ROOT, run } from '../../scripts/proc.ts'

export async function addSensorBeside(
  persistDir: string,
  sensorId: string,
  newId: string,
): Promise<string> {
  const secret = randomBytes(32).toString('base64url')
  const hash = createHash('sha256').update(secret).digest('hex')
  const sql = `INSERT INTO sensors (id, tenant_id, name, token_hash, status, created_at)
    SELECT '${newId}', tenant_id, '${newId}', '${hash}', 'pending', ${Date.now()}
    FROM sensors WHERE id = '${sensorId}'`
  const wrangler = join(ROOT, 'node_modules/.bin/wrangler')
  const args = ['d1', 'execute', 'DB', '--local', '--persist-to', persistDir, '--command', sql]
  await run(wrangler, args, { quiet: true, env: wranglerEnv() })
  return `sbs1.${newId}.${secret}`
}
