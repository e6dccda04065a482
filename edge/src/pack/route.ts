/**
 * `GET /v1/pack`: the rule pack a sensor should run, for its tenant. Sensors poll it with
 * `If-None-Match: "<hash>"` and get 304 while nothing changed; a new pack comes with its
 * `hash` (SHA-256 of JSON.stringify({rules, plan})), which the sensor checks before swapping.
 * Every tenant runs the bundled default pack until per-tenant packs are stored in R2.
 */
import type { RulePack } from '@socbox/dsl/runtime'
import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { defaultPack } from '../ingest/engine.ts'
import { authenticateSensor } from '../ingest/sensor-auth.ts'

export const packRoute = new Hono<AppEnv>()

export function packFor(_tenantId: string): RulePack {
  return defaultPack
}

let serialized: { hash: string; body: string } | undefined

function body(pack: RulePack): string {
  if (serialized?.hash !== pack.hash) serialized = { hash: pack.hash, body: JSON.stringify(pack) }
  return serialized.body
}

packRoute.get('/', async (c) => {
  const sensor = await authenticateSensor(c.get('db'), c.req.header('Authorization'))
  const pack = packFor(sensor.tenantId)
  const etag = `"${pack.hash}"`
  c.header('ETag', etag)
  c.header('X-Socbox-Pack-Version', pack.version)
  c.header('Cache-Control', 'private, no-cache')
  const wanted = c.req.header('If-None-Match') ?? ''
  if (wanted.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304)
  }
  return c.body(body(pack), 200, { 'Content-Type': 'application/json' })
})
