/** `GET /alerts`: the alert list of the tenants the user may see, newest first. */
import { Hono } from 'hono'
import { type AlertListItem, listAlerts } from '../alerts/query.ts'
import { parseAlertFilter } from '../api/alerts.ts'
import { seesManyTenants } from '../auth/principal.ts'
import { type Locale, severities } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { formatJst } from './jst.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { classLabel, t } from './messages.ts'
import { endpoint, SeverityBadge } from './severity-badge.tsx'

export const alertsPage = new Hono<AppEnv>()

function Row({ a, locale, many }: { a: AlertListItem; locale: Locale; many: boolean }) {
  return (
    <tr>
      <td class="nowrap">{formatJst(a.ts)}</td>
      <td>
        <SeverityBadge locale={locale} severity={a.severity} />
      </td>
      <td>{classLabel(locale, a.class)}</td>
      <td>
        <a href={`/alerts/${a.id}`}>{a.title[locale]}</a>
      </td>
      <td>{endpoint(a.srcIp, a.srcPort)}</td>
      <td>{endpoint(a.dstIp, a.dstPort)}</td>
      {many && <td>{a.tenantName}</td>}
      <td>{a.sensorName}</td>
      <td>{t(locale, `status.${a.status}`)}</td>
    </tr>
  )
}

alertsPage.get('/alerts', async (c) => {
  const locale = localeFor(c)
  const principal = c.get('principal')
  const query = c.req.query()
  const filter = parseAlertFilter({
    severity: query.severity,
    status: query.status,
    before: query.before,
    limit: '50',
  })
  const page = await listAlerts(c.get('db'), principal, filter)
  const many = seesManyTenants(principal)
  const keep = new URLSearchParams()
  if (query.severity) keep.set('severity', query.severity)
  if (query.status) keep.set('status', query.status)
  if (page.next) keep.set('before', String(page.next))
  const olderHref = page.next ? `/alerts?${keep}` : null
  return c.html(
    <Layout
      locale={locale}
      title={t(locale, 'alerts.title')}
      path="/alerts"
      principal={principal}
      csrfToken={c.get('csrfToken')}
    >
      <h1>{t(locale, 'alerts.title')}</h1>
      <form
        method="get"
        action="/alerts"
        class="filters"
        hx-get="/alerts"
        hx-target="#alert-list"
        hx-select="#alert-list"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <label for="severity">{t(locale, 'alerts.filter.severity')}</label>
        <select id="severity" name="severity">
          <option value="">{t(locale, 'alerts.filter.all')}</option>
          {severities.map((s) => (
            <option value={s} selected={query.severity === s}>
              {t(locale, `severity.${s}`)}
            </option>
          ))}
        </select>
        <label for="status">{t(locale, 'alerts.filter.status')}</label>
        <select id="status" name="status">
          <option value="">{t(locale, 'alerts.filter.all')}</option>
          {(['open', 'new', 'ack', 'closed'] as const).map((s) => (
            <option value={s} selected={query.status === s}>
              {t(locale, `status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t(locale, 'alerts.filter.apply')}</button>
      </form>
      <div id="alert-list">
        {page.alerts.length === 0 ? (
          <p>{t(locale, 'alerts.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t(locale, 'col.time')}</th>
                <th>{t(locale, 'col.severity')}</th>
                <th>{t(locale, 'col.class')}</th>
                <th>{t(locale, 'col.title')}</th>
                <th>{t(locale, 'col.source')}</th>
                <th>{t(locale, 'col.destination')}</th>
                {many && <th>{t(locale, 'col.customer')}</th>}
                <th>{t(locale, 'col.sensor')}</th>
                <th>{t(locale, 'col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {page.alerts.map((a) => (
                <Row a={a} locale={locale} many={many} />
              ))}
            </tbody>
          </table>
        )}
        {olderHref && (
          <p>
            <a href={olderHref}>{t(locale, 'alerts.older')}</a>
          </p>
        )}
      </div>
    </Layout>,
  )
})
