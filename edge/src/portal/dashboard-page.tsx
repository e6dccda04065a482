/**
 * `GET /`: the dashboard, a summary of detections in the user's scope: open alerts by severity
 * (each links to the filtered list), alerts of the last 7 days by threat class, and how many
 * sensors are online.
 */
import { Hono } from 'hono'
import { summarize } from '../alerts/summary.ts'
import { severities } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { classLabel, t } from './messages.ts'
import { SeverityBadge } from './severity-badge.tsx'

export const dashboardPage = new Hono<AppEnv>()

const WEEK_MS = 7 * 24 * 60 * 60 * 1000

dashboardPage.get('/', async (c) => {
  const locale = localeFor(c)
  const principal = c.get('principal')
  const summary = await summarize(c.get('db'), principal, Date.now() - WEEK_MS)
  return c.html(
    <Layout
      locale={locale}
      title={t(locale, 'nav.dashboard')}
      path="/"
      principal={principal}
      csrfToken={c.get('csrfToken')}
    >
      <h1>{t(locale, 'nav.dashboard')}</h1>
      <section class="card">
        <h2>{t(locale, 'dashboard.open')}</h2>
        <ul class="tiles">
          {[...severities].reverse().map((s) => (
            <li>
              <a href={`/alerts?severity=${s}&status=open`}>
                <SeverityBadge locale={locale} severity={s} />
                <span class="count">{summary.openBySeverity[s] ?? 0}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{t(locale, 'dashboard.week')}</h2>
        {summary.recentByClass.length === 0 ? (
          <p>{t(locale, 'alerts.empty')}</p>
        ) : (
          <table>
            <tbody>
              {summary.recentByClass.map((r) => (
                <tr>
                  <td>{classLabel(locale, r.class)}</td>
                  <td>{r.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card">
        <h2>
          <a href="/sensors">{t(locale, 'sensors.title')}</a>
        </h2>
        <p>
          {t(locale, 'sensors.status.online')}: {summary.sensors.online} ·{' '}
          {t(locale, 'sensors.status.offline')}: {summary.sensors.offline} ·{' '}
          {t(locale, 'sensors.status.pending')}: {summary.sensors.pending}
        </p>
      </section>
    </Layout>,
  )
})
