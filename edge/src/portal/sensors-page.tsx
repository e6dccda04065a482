/** `GET /sensors`: device operating status of the sensors the user may see. */
import { Hono } from 'hono'
import { seesManyTenants } from '../auth/principal.ts'
import type { AppEnv } from '../env.ts'
import { listSensors } from '../sensors/query.ts'
import { formatJst } from './jst.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { t } from './messages.ts'

export const sensorsPage = new Hono<AppEnv>()

function traffic(health: Record<string, unknown> | null): string {
  const bps = typeof health?.bps === 'number' ? health.bps : null
  const pps = typeof health?.pps === 'number' ? health.pps : null
  if (bps === null && pps === null) return '–'
  return `${((bps ?? 0) / 1e6).toFixed(1)} Mbit/s · ${Math.round(pps ?? 0)} pps`
}

sensorsPage.get('/sensors', async (c) => {
  const locale = localeFor(c)
  const principal = c.get('principal')
  const list = await listSensors(c.get('db'), principal, c.env.LATEST_AGENT_VERSION)
  const many = seesManyTenants(principal)
  return c.html(
    <Layout
      locale={locale}
      title={t(locale, 'sensors.title')}
      path="/sensors"
      principal={principal}
      csrfToken={c.get('csrfToken')}
    >
      <h1>{t(locale, 'sensors.title')}</h1>
      {list.length === 0 ? (
        <p>{t(locale, 'sensors.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t(locale, 'col.sensor')}</th>
              {many && <th>{t(locale, 'col.customer')}</th>}
              <th>{t(locale, 'col.status')}</th>
              <th>{t(locale, 'col.lastSeen')}</th>
              <th>{t(locale, 'col.agent')}</th>
              <th>{t(locale, 'col.traffic')}</th>
              <th>{t(locale, 'col.endpoints')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr>
                <td>{s.name}</td>
                {many && <td>{s.tenantName}</td>}
                <td>
                  <span class={`status status-${s.status}`}>
                    {t(locale, `sensors.status.${s.status}`)}
                  </span>
                </td>
                <td class="nowrap">
                  {s.lastSeenAt === null ? t(locale, 'sensors.never') : formatJst(s.lastSeenAt)}
                </td>
                <td>
                  {s.agentVersion ?? '–'}
                  {s.outdated && <span class="outdated"> {t(locale, 'sensors.outdated')}</span>}
                </td>
                <td>{traffic(s.health)}</td>
                <td>
                  {typeof s.health?.endpoints_30d === 'number' ? s.health.endpoints_30d : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>,
  )
})
