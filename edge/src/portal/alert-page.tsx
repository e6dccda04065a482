/**
 * `GET /alerts/:id` (one alert: threat information, countermeasures, evidence) and
 * `POST /alerts/:id/status` (acknowledge, close, reopen; not for viewers). Another tenant's
 * alert is "not found", exactly like one that does not exist.
 */
import { Hono } from 'hono'
import { getAlert } from '../alerts/query.ts'
import { setAlertStatus } from '../alerts/set-status.ts'
import { clientIp } from '../audit/record.ts'
import { CSRF_FIELD, checkCsrf } from '../auth/csrf.ts'
import { canTriage, seesManyTenants } from '../auth/principal.ts'
import type { AlertStatus } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { formatJst } from './jst.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { classLabel, t } from './messages.ts'
import { endpoint, SeverityBadge } from './severity-badge.tsx'

export const alertPage = new Hono<AppEnv>()

const nextActions: Record<
  AlertStatus,
  { to: AlertStatus; label: 'alert.markAck' | 'alert.markClosed' | 'alert.reopen' }[]
> = {
  new: [
    { to: 'ack', label: 'alert.markAck' },
    { to: 'closed', label: 'alert.markClosed' },
  ],
  ack: [{ to: 'closed', label: 'alert.markClosed' }],
  closed: [{ to: 'new', label: 'alert.reopen' }],
}

alertPage.get('/alerts/:id{[0-9]+}', async (c) => {
  const locale = localeFor(c)
  const principal = c.get('principal')
  const id = Number(c.req.param('id'))
  const alert = await getAlert(c.get('db'), principal, id)
  const frame = {
    locale,
    path: `/alerts/${id}`,
    principal,
    csrfToken: c.get('csrfToken'),
  }
  if (!alert) {
    return c.html(
      <Layout {...frame} title={t(locale, 'alert.notFound')}>
        <p>{t(locale, 'alert.notFound')}</p>
        <a href="/alerts">{t(locale, 'alert.back')}</a>
      </Layout>,
      404,
    )
  }
  return c.html(
    <Layout {...frame} title={alert.title[locale]}>
      <p>
        <a href="/alerts">{t(locale, 'alert.back')}</a>
      </p>
      <h1>
        <SeverityBadge locale={locale} severity={alert.severity} /> {alert.title[locale]}
      </h1>
      <div class="card" id="triage">
        <dl class="meta">
          <dt>{t(locale, 'col.time')}</dt>
          <dd>{formatJst(alert.ts)}</dd>
          <dt>{t(locale, 'col.class')}</dt>
          <dd>{classLabel(locale, alert.class)}</dd>
          <dt>{t(locale, 'col.source')}</dt>
          <dd>{endpoint(alert.srcIp, alert.srcPort)}</dd>
          <dt>{t(locale, 'col.destination')}</dt>
          <dd>{endpoint(alert.dstIp, alert.dstPort)}</dd>
          {seesManyTenants(principal) && <dt>{t(locale, 'col.customer')}</dt>}
          {seesManyTenants(principal) && <dd>{alert.tenantName}</dd>}
          <dt>{t(locale, 'col.sensor')}</dt>
          <dd>{alert.sensorName}</dd>
          <dt>{t(locale, 'alert.rule')}</dt>
          <dd>{`${alert.rule} v${alert.ruleVersion}`}</dd>
          {alert.flow && <dt>{t(locale, 'alert.flow')}</dt>}
          {alert.flow && <dd>{alert.flow}</dd>}
          <dt>{t(locale, 'col.status')}</dt>
          <dd>{t(locale, `status.${alert.status}`)}</dd>
        </dl>
        {canTriage(principal) &&
          nextActions[alert.status].map((action) => (
            <form
              method="post"
              action={`/alerts/${alert.id}/status`}
              class="inline"
              hx-post={`/alerts/${alert.id}/status`}
              hx-target="#triage"
              hx-select="#triage"
              hx-swap="outerHTML"
            >
              <input type="hidden" name={CSRF_FIELD} value={c.get('csrfToken')} />
              <input type="hidden" name="status" value={action.to} />
              <button type="submit">{t(locale, action.label)}</button>
            </form>
          ))}
      </div>
      <section class="card">
        <h2>{t(locale, 'alert.explain')}</h2>
        <p>{alert.explain[locale]}</p>
      </section>
      <section class="card">
        <h2>{t(locale, 'alert.actions')}</h2>
        <ol>
          {alert.actions[locale].map((a) => (
            <li>{a}</li>
          ))}
        </ol>
      </section>
      {alert.attack.length > 0 && (
        <section class="card">
          <h2>{t(locale, 'alert.attack')}</h2>
          <p>{alert.attack.join(', ')}</p>
        </section>
      )}
      <section class="card">
        <h2>{t(locale, 'alert.evidence')}</h2>
        <pre>{JSON.stringify(alert.evidence, null, 2)}</pre>
      </section>
    </Layout>,
  )
})

alertPage.post('/alerts/:id{[0-9]+}/status', async (c) => {
  const form = await c.req.parseBody()
  checkCsrf(c.get('csrfToken'), form[CSRF_FIELD])
  const id = Number(c.req.param('id'))
  const ip = clientIp(c.req.raw.headers)
  await setAlertStatus(c.get('db'), c.get('principal'), id, form.status, ip)
  return c.redirect(`/alerts/${id}`, 303)
})
