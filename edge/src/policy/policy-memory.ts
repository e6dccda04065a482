/**
 * What the alert policy and the rules remember for one sensor between batches: the policy state
 * (dedup episodes, rate windows), the rules' first_seen memory and the tenant's site settings.
 * Read from D1 once per engine (so once per SensorHub lifetime; site settings again every few
 * minutes), updated in memory only after the D1 batch that stores it has committed.
 */
import type { CompiledPolicy, PolicyState, SiteSettings, StatefulEngine } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { policyState, tenantSiteSettings } from './tables.ts'

/** Site settings are re-read this often, so a change reaches running sensors. */
export const SITE_SETTINGS_TTL_MS = 5 * 60_000
/** D1 keeps rows up to 2 MB; first_seen memory beyond this is not persisted (and said so). */
export const MAX_FIRST_SEEN_BYTES = 1_500_000

/** first_seen memory is saved when it learnt something, and otherwise at most this often. */
export const FIRST_SEEN_SAVE_EVERY_MS = 10 * 60_000

export type PolicyMemory = {
  state: PolicyState | undefined
  /** The JSON last written, to skip writes that change nothing. */
  stateText: string
  firstSeenText: string | null
  /** engine.firstSeenAdditions() and the time when first_seen memory was last saved. */
  firstSeenSaved: { additions: number; at: number }
  site: SiteSettings | undefined
  siteReadAt: number
  problems: string[]
}

const memories = new WeakMap<StatefulEngine, PolicyMemory>()

export async function policyMemory(
  db: Database,
  engine: StatefulEngine,
  policy: CompiledPolicy | undefined,
  sensor: { id: string; tenantId: string },
  now: number,
): Promise<PolicyMemory> {
  let memory = memories.get(engine)
  if (memory === undefined) {
    const [rows, sites] = await db.batch([
      db.select().from(policyState).where(eq(policyState.sensorId, sensor.id)),
      db.select().from(tenantSiteSettings).where(eq(tenantSiteSettings.tenantId, sensor.tenantId)),
    ])
    const row = rows[0]
    const problems: string[] = []
    let state: PolicyState | undefined
    // A row of another tenant (a sensor moved) is not this tenant's memory.
    const usable = row !== undefined && row.tenantId === sensor.tenantId
    if (usable && policy) {
      const restored = policy.restore(parseJson(row.state))
      state = restored.state
      if (restored.problem) problems.push(restored.problem)
    }
    if (usable && row.firstSeen) problems.push(...engine.loadFirstSeen(parseJson(row.firstSeen)))
    memory = {
      state,
      stateText: usable ? row.state : '',
      firstSeenText: usable ? row.firstSeen : null,
      firstSeenSaved: { additions: engine.firstSeenAdditions(), at: now },
      site: siteOf(sites[0]?.settings, problems),
      siteReadAt: now,
      problems,
    }
    memories.set(engine, memory)
    return memory
  }
  if (now - memory.siteReadAt >= SITE_SETTINGS_TTL_MS) {
    const [site] = await db
      .select()
      .from(tenantSiteSettings)
      .where(eq(tenantSiteSettings.tenantId, sensor.tenantId))
    memory.problems = []
    memory.site = siteOf(site?.settings, memory.problems)
    memory.siteReadAt = now
  }
  return memory
}

/** The tenant's site settings changed: the engine's next batch reads them again. */
export function forgetSiteSettings(engine: StatefulEngine) {
  const memory = memories.get(engine)
  if (memory) memory.siteReadAt = Number.NEGATIVE_INFINITY
}

/** The upsert that saves changed memory, to run in the batch that stores the alerts; or none. */
export function saveStatement(
  db: Database,
  memory: PolicyMemory,
  next: { state: PolicyState | undefined; firstSeen: string | null },
  sensor: { id: string; tenantId: string },
  now: number,
) {
  const stateText = next.state ? JSON.stringify(next.state) : ''
  if (stateText === memory.stateText && next.firstSeen === memory.firstSeenText) return undefined
  const values = {
    sensorId: sensor.id,
    tenantId: sensor.tenantId,
    policy: next.state?.policy ?? '',
    state: stateText,
    firstSeen: next.firstSeen,
    updatedAt: now,
  }
  return db
    .insert(policyState)
    .values(values)
    .onConflictDoUpdate({
      target: policyState.sensorId,
      set: {
        tenantId: values.tenantId,
        policy: values.policy,
        state: values.state,
        firstSeen: values.firstSeen,
        updatedAt: values.updatedAt,
      },
    })
}

/** After the batch committed: memory now equals what D1 holds. */
export function remember(
  memory: PolicyMemory,
  next: { state: PolicyState | undefined; firstSeen: string | null },
) {
  memory.state = next.state
  memory.stateText = next.state ? JSON.stringify(next.state) : ''
  memory.firstSeenText = next.firstSeen
}

/**
 * The engine's first_seen memory as text to store: the text stored before when nothing new was
 * learnt lately (serialising a large memory every batch would cost more than it saves), or when
 * it grew too large for a D1 row (said in `problems`).
 */
export function firstSeenText(
  engine: StatefulEngine,
  memory: PolicyMemory,
  now: number,
  problems: string[],
): string | null {
  const additions = engine.firstSeenAdditions()
  const due = now - memory.firstSeenSaved.at >= FIRST_SEEN_SAVE_EVERY_MS
  if (additions === memory.firstSeenSaved.additions && !due) return memory.firstSeenText
  memory.firstSeenSaved = { additions, at: now }
  const saved = engine.saveFirstSeen()
  if (Object.keys(saved.sites).length === 0) return memory.firstSeenText
  const text = JSON.stringify(saved)
  if (text.length > MAX_FIRST_SEEN_BYTES) {
    problems.push(
      `first_seen memory is ${text.length} bytes, over ${MAX_FIRST_SEEN_BYTES}: the last saved copy is kept`,
    )
    return memory.firstSeenText
  }
  return text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function siteOf(text: string | undefined, problems: string[]): SiteSettings | undefined {
  if (text === undefined) return undefined
  const value = parseJson(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('tenant site settings are not a JSON object: the defaults apply')
    return undefined
  }
  return value as SiteSettings
}
