import { describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { makeCustomer } from '../../test/fixtures.ts'
import { call, heartbeat } from '../../test/http.ts'

type Listed = {
  sensors: { id: string; status: string; agentVersion: string | null; outdated: boolean }[]
}

describe('sensors API and device status page', () => {
  it('lists the caller’s sensors with health and flags outdated agents', async () => {
    const a = await makeCustomer('A')
    const b = await makeCustomer('B')
    await heartbeat(
      { agent_version: '0.0.9', bps: 2e6 },
      { token: a.sensor.token, boot: 'x', seq: 0 },
    )
    const res = await call('/api/v1/sensors', {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    const body = (await res.json()) as Listed
    expect(body.sensors.map((s) => s.id)).toEqual([a.sensor.id])
    expect(body.sensors[0]).toMatchObject({
      status: 'online',
      agentVersion: '0.0.9',
      outdated: true,
    })

    const one = await call(`/api/v1/sensors/${a.sensor.id}`, {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    const detail = (await one.json()) as { history: { bps: number }[] }
    expect(detail.history.at(-1)?.bps).toBe(2e6)
    const other = await call(`/api/v1/sensors/${b.sensor.id}`, {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    expect(other.status).toBe(404)
  })

  it('shows the device status page in Japanese with the outdated flag', async () => {
    const a = await makeCustomer('C')
    await heartbeat(
      { agent_version: '0.0.1', endpoints_30d: 12 },
      { token: a.sensor.token, boot: 'y', seq: 0 },
    )
    const browser = new Browser()
    await browser.login(a.viewer.email, a.viewer.password)
    const html = await (await browser.get('/sensors?lang=ja')).text()
    expect(html).toContain('デバイス稼働状況')
    expect(html).toContain('稼働中')
    expect(html).toContain('要アップデート')
    expect(html).toContain('sensor-C')
  })
})
