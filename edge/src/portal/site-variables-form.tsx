/**
 * The "Site variables" section of the settings page: every site variable the current rule pack
 * declares, with its type, its description, its default and this customer's value (a text area,
 * one list entry per line; yes/no for a flag), an error beside each bad value, in the reader's
 * language. Posts to `/settings/:tenant/site` (settings-page.tsx).
 */
import { CSRF_FIELD } from '../auth/csrf.ts'
import type { Locale } from '../db/schema.ts'
import type { SiteVariableView, TenantSiteSettings } from '../settings/site-settings-store.ts'
import { type SiteErrors, siteValueText, TYPE_TEXT } from '../settings/validate-site-settings.ts'
import { formatJst } from './jst.ts'
import { t } from './messages.ts'

export type SiteFormState = {
  settings: TenantSiteSettings
  /** What the form shows per variable: the stored value, or what was just submitted. */
  text: Record<string, string>
  errors: SiteErrors
  saved: boolean
}

export function siteFormState(
  settings: TenantSiteSettings,
  saved: boolean,
  submitted?: { input: Record<string, unknown>; errors: SiteErrors },
): SiteFormState {
  const text: Record<string, string> = {}
  for (const v of settings.variables) {
    const raw = submitted?.input[v.name]
    text[v.name] = typeof raw === 'string' ? raw : siteValueText(v.value)
  }
  return { settings, text, errors: submitted?.errors ?? {}, saved }
}

function defaultText(locale: Locale, v: SiteVariableView): string {
  if (Array.isArray(v.default)) {
    return v.default.length === 0 ? t(locale, 'site.none') : v.default.map(String).join(', ')
  }
  if (typeof v.default === 'boolean') return t(locale, v.default ? 'site.yes' : 'site.no')
  return String(v.default)
}

function Input(props: {
  locale: Locale
  v: SiteVariableView
  text: string
  editable: boolean
  error: boolean
}) {
  const { locale, v, text, editable, error } = props
  const id = `site-${v.name}`
  const name = `site.${v.name}`
  const invalid = error ? 'true' : undefined
  if (v.type === 'bool') {
    return (
      <select id={id} name={name} disabled={!editable} aria-invalid={invalid}>
        <option value="true" selected={text === 'true'}>
          {t(locale, 'site.yes')}
        </option>
        <option value="false" selected={text !== 'true'}>
          {t(locale, 'site.no')}
        </option>
      </select>
    )
  }
  if (v.type === 'number' || v.type === 'string') {
    return <input id={id} name={name} value={text} disabled={!editable} aria-invalid={invalid} />
  }
  const rows = Math.min(12, Math.max(3, text.split('\n').length + 1))
  return (
    <textarea
      id={id}
      name={name}
      rows={rows}
      cols={40}
      disabled={!editable}
      aria-invalid={invalid}
      spellcheck={false}
    >
      {text}
    </textarea>
  )
}

export function SiteVariablesForm(props: {
  locale: Locale
  state: SiteFormState
  editable: boolean
  csrfToken: string | undefined
}) {
  const { locale, state, editable } = props
  const { settings } = state
  const invalid = Object.keys(state.errors).length > 0
  return (
    <form
      method="post"
      action={`/settings/${settings.tenant.id}/site`}
      class="card settings site"
      id="site"
    >
      <h2>{t(locale, 'site.title')}</h2>
      <p>{t(locale, 'site.intro')}</p>
      <p class="who">
        {t(locale, 'site.pack')}: {settings.pack}
        {settings.updatedAt !== null && (
          <>
            {' · '}
            {t(locale, 'site.updated')}: {formatJst(settings.updatedAt)}
          </>
        )}
      </p>
      <input type="hidden" name={CSRF_FIELD} value={props.csrfToken ?? ''} />
      {state.saved && <p class="notice">{t(locale, 'site.saved')}</p>}
      {invalid && (
        <p class="error" role="alert">
          {t(locale, 'settings.invalid')}
        </p>
      )}
      {!editable && <p class="notice">{t(locale, 'settings.readonly')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t(locale, 'site.col.variable')}</th>
            <th>{t(locale, 'site.col.value')}</th>
          </tr>
        </thead>
        <tbody>
          {settings.variables.map((v) => {
            const error = state.errors[v.name]
            return (
              <tr>
                <td>
                  <label for={`site-${v.name}`}>
                    <code>${v.name}</code>
                  </label>
                  <br />
                  {v.doc[locale]}
                  <br />
                  <span class="who">
                    {TYPE_TEXT[v.type][locale]} · {t(locale, 'site.default')}:{' '}
                    {defaultText(locale, v)}
                  </span>
                  <br />
                  <span class="who">
                    {t(locale, 'site.usedBy')}:{' '}
                    {v.usedBy.length > 0 ? v.usedBy.join(', ') : t(locale, 'site.unused')}
                  </span>
                </td>
                <td>
                  <Input
                    locale={locale}
                    v={v}
                    text={state.text[v.name] ?? ''}
                    editable={editable}
                    error={error !== undefined}
                  />
                  <br />
                  <span class="who">
                    {t(locale, v.overridden ? 'site.own' : 'site.usesDefault')}
                  </span>
                  {error && <p class="error field-error">{error[locale]}</p>}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {settings.undeclared.length > 0 && (
        <p class="notice">
          {t(locale, 'site.undeclared')} {settings.undeclared.map((n) => `$${n}`).join(', ')}
        </p>
      )}
      {editable && <button type="submit">{t(locale, 'site.save')}</button>}
    </form>
  )
}
