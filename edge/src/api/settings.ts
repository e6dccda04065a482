/**
 * `GET /api/v1/settings` (the settings of every tenant the caller may see),
 * `GET /api/v1/settings/:tenant` and `PUT /api/v1/settings/:tenant` (JSON with all five fields,
 * as the portal form; 400 names each bad field in English and Japanese). Roles as in
 * settings-store.ts; another customer's tenant is "not found".
 * `GET/PUT /api/v1/settings/:tenant/lists`: the tenant's own indicator lists, which only its
 * sensors receive in their rule pack (edge/src/pack/tenant-pack.ts); PUT replaces them all.
 * `GET/PUT /api/v1/settings/:tenant/site`: the tenant's site variable values (`$domain_controllers`
 * …) beside every variable the current pack declares (type, description, default, value). PUT
 * takes `{ "domain_controllers": ["10.0.0.2"], … }`: the variables it names get those values (a
 * list as a JSON array or as text), the others their defaults; 400 names each bad variable in
 * English and Japanese.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { clientIp } from '../audit/record.ts'
import { authenticate, unauthorizedJson } from '../auth/authenticate.ts'
import type { AppEnv } from '../env.ts'
import { checkLists } from '../pack/tenant-lists.ts'
import { saveTenantLists, tenantLists } from '../pack/tenant-lists-store.ts'
import {
  canEditSettings,
  listTenantSettings,
  saveTenantSettings,
  tenantSettings,
} from '../settings/settings-store.ts'
import {
  announceSiteSettings,
  declaredVariables,
  saveTenantSiteSettings,
  tenantSiteSettingsFor,
} from '../settings/site-settings-store.ts'
import { validateSettings } from '../settings/validate-settings.ts'
import { validateSiteSettings } from '../settings/validate-site-settings.ts'

export const settingsApi = new Hono<AppEnv>()

settingsApi.use(authenticate({ allowApiToken: true, onMissing: unauthorizedJson }))

settingsApi.get('/', async (c) => {
  return c.json({ tenants: await listTenantSettings(c.get('db'), c.get('principal')) })
})

settingsApi.get('/:tenant{[a-z0-9_-]{3,64}}', async (c) => {
  return c.json(await tenantSettings(c.get('db'), c.get('principal'), c.req.param('tenant')))
})

settingsApi.put('/:tenant{[a-z0-9_-]{3,64}}', async (c) => {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new HTTPException(400, {
      message: 'the body is not JSON; send the five settings as a JSON object',
    })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HTTPException(400, { message: 'send the settings as a JSON object' })
  }
  const principal = c.get('principal')
  const tenantId = c.req.param('tenant')
  // Scope first: a tenant the caller cannot see is 404 whatever the body says.
  await tenantSettings(c.get('db'), principal, tenantId)
  const checked = validateSettings(body as Record<string, unknown>)
  if (!checked.ok) return c.json({ error: 'invalid settings', fields: checked.errors }, 400)
  const saved = await saveTenantSettings(
    c.get('db'),
    principal,
    tenantId,
    checked.value,
    clientIp(c.req.raw.headers) ?? null,
  )
  return c.json(saved)
})

settingsApi.get('/:tenant{[a-z0-9_-]{3,64}}/lists', async (c) => {
  const tenant = await tenantSettings(c.get('db'), c.get('principal'), c.req.param('tenant'))
  return c.json({ tenant: tenant.id, lists: await tenantLists(c.get('db'), tenant.id) })
})

settingsApi.put('/:tenant{[a-z0-9_-]{3,64}}/lists', async (c) => {
  const principal = c.get('principal')
  const tenant = await tenantSettings(c.get('db'), principal, c.req.param('tenant'))
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new HTTPException(400, { message: 'the body is not JSON' })
  }
  const checked = checkLists(body)
  if (!checked.ok) return c.json({ error: 'invalid lists', problems: checked.problems }, 400)
  await saveTenantLists(
    c.get('db'),
    principal,
    tenant.id,
    checked.lists,
    clientIp(c.req.raw.headers) ?? null,
  )
  return c.json({ tenant: tenant.id, lists: checked.lists })
})

settingsApi.get('/:tenant{[a-z0-9_-]{3,64}}/site', async (c) => {
  return c.json(await tenantSiteSettingsFor(c.get('db'), c.get('principal'), c.req.param('tenant')))
})

settingsApi.put('/:tenant{[a-z0-9_-]{3,64}}/site', async (c) => {
  const principal = c.get('principal')
  const db = c.get('db')
  // Scope first: a tenant the caller cannot see is 404 whatever the body says.
  const current = await tenantSiteSettingsFor(db, principal, c.req.param('tenant'))
  if (!canEditSettings(principal)) {
    throw new HTTPException(403, {
      message: 'your role can read these settings but not change them; ask a customer admin',
    })
  }
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new HTTPException(400, {
      message: 'the body is not JSON; send the site variables as a JSON object by name',
    })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HTTPException(400, {
      message:
        'send the site variables as a JSON object, e.g. {"domain_controllers": ["10.0.0.2"]}',
    })
  }
  const checked = validateSiteSettings(declaredVariables(), body as Record<string, unknown>)
  if (!checked.ok) return c.json({ error: 'invalid site settings', fields: checked.errors }, 400)
  const saved = await saveTenantSiteSettings(
    db,
    principal,
    current.tenant.id,
    checked.overrides,
    clientIp(c.req.raw.headers) ?? null,
  )
  await announceSiteSettings(c.env, db, current.tenant.id)
  return c.json(saved)
})
