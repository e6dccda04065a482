/**
 * `GET /settings[?tenant=ID]` and `POST /settings/:tenant`: a customer's monitoring thresholds
 * (bandwidth, endpoints, drops, offline). Editable by customer and partner admins, read-only for
 * the others (settings-store.ts says why); a partner admin or the provider picks the customer.
 */
import { type Context, Hono } from 'hono'
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
import type { TenantSettings } from '../settings/tenant-settings.ts'
import { FIELDS, type SettingsErrors, validateSettings } from '../settings/validate-settings.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { t } from './messages.ts'

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
  return c.html(page(c, all, tenant, state))
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
    return c.html(page(c, all, tenant, { values, errors: checked.errors, saved: false }), 400)
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
