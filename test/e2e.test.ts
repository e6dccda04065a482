/**
 * The whole path once, as a user meets it: `wrangler dev` (real workerd, local D1) seeded with demo
 * data, the bundled capture replayed through the real sensor with the CLI, and the alert found
 * through the API and on the portal pages in English and Japanese, in a real browser.
 */
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../scripts/local-stack.ts'
import { freePort, ROOT, run } from '../scripts/proc.ts'

const CAPTURE = 'sensor-native/fixtures/demo-dns-queries.pcap'
const CHROMIUM = '/usr/bin/chromium'
let stack: Stack

type ApiAlert = {
  rule: string
  class: string
  severity: string
  srcIp: string
  title: { en: string; ja: string }
}
async function alerts(token: string | undefined): Promise<{ status: number; alerts: ApiAlert[] }> {
  const res = await fetch(`${stack.url}/api/v1/alerts`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
  const body = res.ok ? ((await res.json()) as { alerts: ApiAlert[] }) : { alerts: [] }
  return { status: res.status, alerts: body.alerts }
}

const replay = async () =>
  JSON.parse(
    await run(
      process.execPath,
      [
        join(ROOT, 'bin/socbox.ts'),
        'replay',
        CAPTURE,
        '--edge',
        stack.url,
        '--token',
        stack.credentials.sensor.token,
      ],
      { quiet: true },
    ).then((out) => out.trim().split('\n').at(-1) as string),
  ) as { events: number; accepted: number; alerts: number }

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-e2e-'))
  stack = await startStack({ port: await freePort(), persistDir: dir })
})
afterAll(async () => {
  await stack?.stop()
})

describe('capture → sensor → edge → alert', () => {
  it('refuses the API without credentials', async () => {
    expect((await alerts(undefined)).status).toBe(401)
    expect((await alerts('sba1.nope.nope')).status).toBe(401)
  })

  it('turns the Tor2web lookup of the capture into one alert, visible through the API', async () => {
    const summary = await replay()
    expect(summary.events).toBeGreaterThan(0)
    expect(summary.accepted).toBe(summary.events)
    const { status, alerts: all } = await alerts(stack.credentials.apiToken)
    expect(status).toBe(200)
    expect(all).toHaveLength(summary.alerts)
    // The capture holds other lookups too (an IP-lookup service is an info.* finding).
    const found = all.filter((a) => a.rule === 'SB-TOR-0001')
    expect(found).toHaveLength(1)
    expect(all.filter((a) => !a.class.startsWith('info.') && a.rule !== 'SB-TOR-0001')).toEqual([])
    expect(found[0]).toMatchObject({
      rule: 'SB-TOR-0001',
      class: 'suspicious.tor',
      srcIp: '10.0.0.66',
    })
    expect(found[0]?.title.en).toContain('badsite.onion.to')
    expect(found[0]?.title.ja).toContain('badsite.onion.to')
  })

  it('does not raise the same alert twice when the capture is replayed again', async () => {
    const before = (await alerts(stack.credentials.apiToken)).alerts.length
    const summary = await replay()
    expect(summary.accepted).toBe(summary.events)
    expect(summary.alerts).toBe(0)
    expect((await alerts(stack.credentials.apiToken)).alerts).toHaveLength(before)
  })
})

describe.runIf(existsSync(CHROMIUM))('portal in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    })
  })
  afterAll(async () => browser?.close())

  it('shows the alert after login, in English and in Japanese', async () => {
    const user = stack.credentials.users.find((u) => u.role === 'customer_admin')
    expect(user, 'seed has a customer admin').toBeDefined()
    const page = await browser.newPage({ locale: 'en-US' })
    await page.goto(`${stack.url}/alerts`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.fill('input[name=email]', user?.email as string)
    await page.fill('input[name=password]', user?.password as string)
    await Promise.all([page.waitForURL('**/alerts'), page.click('button[type=submit]')])
    await page.goto(`${stack.url}/alerts?lang=en`)
    const en = await page.textContent('body')
    expect(en).toContain('Lookup of a Tor2web gateway: badsite.onion.to')
    expect(en).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST/)
    await page.goto(`${stack.url}/alerts?lang=ja`)
    const ja = await page.textContent('body')
    expect(ja).toContain('Tor2webゲートウェイの名前解決: badsite.onion.to')
    await page.screenshot({ path: join(tmpdir(), 'socbox-e2e-alerts-ja.png'), fullPage: true })
  })

  it('keeps a wrong password out', async () => {
    const page = await browser.newPage()
    await page.goto(`${stack.url}/login`)
    await page.fill('input[name=email]', stack.credentials.users[0]?.email as string)
    await page.fill('input[name=password]', 'not-the-password')
    await page.click('button[type=submit]')
    await page.waitForLoadState()
    expect(new URL(page.url()).pathname).toBe('/login')
    const stillOut = await page.context().request.get(`${stack.url}/api/v1/alerts`)
    expect(stillOut.status()).toBe(401)
  })
})
