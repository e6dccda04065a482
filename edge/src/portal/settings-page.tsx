/**
 * `GET /settings[?tenant=ID]` and `POST /settings/:tenant`: a customer's monitoring thresholds
 * (bandwidth, endpoints, drops, offline). Editable by customer and partner admins, read-only for
 * the others (settings-store.ts says why); a partner admin or the provider picks the customer.
 * `POST /settings/:tenant/site`: the customer's site variables (site-variables-form.tsx), same
 * roles.
 */
import { type Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { clientIp } from '../audit/record.ts'
import { CSRF_FIELD, checkCsrf } from '../auth/csrf.ts'
import type { Locale } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import {
  canEditSettings,
  listTenantSettings,
  saveTenantSettings,
  type TenantWithSettings,
  tenantSettings,
} from '../settings/settings-store.ts'
import {
  announceSiteSettings,
  declaredVariables,
  saveTenantSiteSettings,
  tenantSiteSettingsFor,
} from '../settings/site-settings-store.ts'
import type { TenantSettings } from '../settings/tenant-settings.ts'
import { FIELDS, type SettingsErrors, validateSettings } from '../settings/validate-settings.ts'
import { validateSiteSettings } from '../settings/validate-site-settings.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { t } from './messages.ts'
import { type SiteFormState, SiteVariablesForm, siteFormState } from './site-variables-form.tsx'

export const settingsPage = new Hono<AppEnv>()

type FormState = {
  values: Record<keyof TenantSettings, string>
  errors: SettingsErrors
  saved: boolean
}

function asText(s: TenantSettings): FormState['values'] {
  return {
    bandwidthMbps: String(s.bandwidthMbps),
    sustainedMinutes: String(s.sustainedMinutes),
    endpointLimit: String(s.endpointLimit),
    dropPercent: String(s.dropPercent),
    offlineMissed: String(s.offlineMissed),
  }
}

function Form(props: {
  locale: Locale
  tenant: TenantWithSettings
  state: FormState
  editable: boolean
  csrfToken: string | undefined
}) {
  const { locale, tenant, state, editable } = props
  const invalid = Object.keys(state.errors).length > 0
  return (
    <form method="post" action={`/settings/${tenant.id}`} class="card settings">
      <input type="hidden" name={CSRF_FIELD} value={props.csrfToken ?? ''} />
      {state.saved && <p class="notice">{t(locale, 'settings.saved')}</p>}
      {invalid && (
        <p class="error" role="alert">
          {t(locale, 'settings.invalid')}
        </p>
      )}
      {!editable && <p class="notice">{t(locale, 'settings.readonly')}</p>}
      {FIELDS.map((f) => {
        const error = state.errors[f.name]
        return (
          <p>
            <label for={f.name}>{f.label[locale]}</label>{' '}
            <input
              id={f.name}
              name={f.name}
              value={state.values[f.name]}
              inputmode="decimal"
              disabled={!editable}
              aria-invalid={error ? 'true' : undefined}
            />{' '}
            {f.unit[locale]}
            {error && <span class="error field-error"> {error[locale]}</span>}
          </p>
        )
      })}
      {editable && <button type="submit">{t(locale, 'settings.save')}</button>}
    </form>
  )
}

function page(
  c: Context<AppEnv>,
  all: TenantWithSettings[],
  tenant: TenantWithSettings | undefined,
  state: FormState | undefined,
  site: SiteFormState | undefined,
) {
  const locale = localeFor(c)
  const principal = c.get('principal')
  return (
    <Layout
      locale={locale}
      title={t(locale, 'settings.title')}
      path="/settings"
      principal={principal}
      csrfToken={c.get('csrfToken')}
    >
      <h1>{t(locale, 'settings.title')}</h1>
      <p>{t(locale, 'settings.intro')}</p>
      {all.length > 1 && (
        <p>
          {t(locale, 'settings.customer')}:{' '}
          {all.map((x) =>
            x.id === tenant?.id ? (
              <strong>{x.name} </strong>
            ) : (
              <a href={`/settings?tenant=${x.id}`}>{x.name} </a>
            ),
          )}
        </p>
      )}
      {tenant && state ? (
        <>
          {all.length <= 1 && <h2>{tenant.name}</h2>}
          <Form
            locale={locale}
            tenant={tenant}
            state={state}
            editable={canEditSettings(principal)}
            csrfToken={c.get('csrfToken')}
          />
          {site && (
            <SiteVariablesForm
              locale={locale}
              state={site}
              editable={canEditSettings(principal)}
              csrfToken={c.get('csrfToken')}
            />
          )}
        </>
      ) : (
        <p>{t(locale, 'settings.empty')}</p>
      )}
    </Layout>
  )
}

settingsPage.get('/settings', async (c) => {
  const db = c.get('db')
  const principal = c.get('principal')
  const all = await listTenantSettings(db, principal)
  const wanted = c.req.query('tenant')
  // A tenant outside the list is simply not shown (404 from the store, as for the API).
  const tenant = wanted ? await tenantSettings(db, principal, wanted) : all[0]
  const state = tenant && {
    values: asText(tenant.settings),
    errors: {},
    saved: c.req.query('saved') === '1',
  }
  const site =
    tenant &&
    siteFormState(
      await tenantSiteSettingsFor(db, principal, tenant.id),
      c.req.query('site_saved') === '1',
    )
  return c.html(page(c, all, tenant, state, site))
})

settingsPage.post('/settings/:tenant{[a-z0-9_-]{3,64}}', async (c) => {
  const form = await c.req.parseBody()
  checkCsrf(c.get('csrfToken'), form[CSRF_FIELD])
  const db = c.get('db')
  const principal = c.get('principal')
  const tenantId = c.req.param('tenant')
  const tenant = await tenantSettings(db, principal, tenantId)
  const checked = validateSettings(form)
  if (!checked.ok) {
    const values = {} as FormState['values']
    for (const f of FIELDS)
      values[f.name] = typeof form[f.name] === 'string' ? String(form[f.name]) : ''
    const all = await listTenantSettings(db, principal)
    const site = siteFormState(await tenantSiteSettingsFor(db, principal, tenantId), false)
    return c.html(page(c, all, tenant, { values, errors: checked.errors, saved: false }, site), 400)
  }
  await saveTenantSettings(
    db,
    principal,
    tenantId,
    checked.value,
    clientIp(c.req.raw.headers) ?? null,
  )
  return c.redirect(`/settings?tenant=${tenantId}&saved=1`, 303)
})

settingsPage.post('/settings/:tenant{[a-z0-9_-]{3,64}}/site', async (c) => {
  const form = await c.req.parseBody()
  checkCsrf(c.get('csrfToken'), form[CSRF_FIELD])
  const db = c.get('db')
  const principal = c.get('principal')
  const current = await tenantSiteSettingsFor(db, principal, c.req.param('tenant'))
  const tenantId = current.tenant.id
  if (!canEditSettings(principal)) {
    throw new HTTPException(403, {
      message: 'your role can read these settings but not change them; ask a customer admin',
    })
  }
  const input: Record<string, unknown> = {}
  for (const v of declaredVariables()) {
    const raw = form[`site.${v.name}`]
    if (typeof raw === 'string') input[v.name] = raw
  }
  const checked = validateSiteSettings(declaredVariables(), input)
  if (!checked.ok) {
    const tenant = await tenantSettings(db, principal, tenantId)
    const all = await listTenantSettings(db, principal)
    const state = { values: asText(tenant.settings), errors: {}, saved: false }
    const site = siteFormState(current, false, { input, errors: checked.errors })
    return c.html(page(c, all, tenant, state, site), 400)
  }
  await saveTenantSiteSettings(
    db,
    principal,
    tenantId,
    checked.overrides,
    clientIp(c.req.raw.headers) ?? null,
  )
  await announceSiteSettings(c.env, db, tenantId)
  return c.redirect(`/settings?tenant=${tenantId}&site_saved=1#site`, 303)
})
