import { describe, expect, it } from 'vitest'
import { call } from '../test/http.ts'
import { defaultPack } from './ingest/engine.ts'

describe('app', () => {
  it('reports health with the migrations applied and the pack version', async () => {
    const res = await call('/healthz')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ok: boolean; migrations: number; pack: string }
    expect(body).toMatchObject({ ok: true, pack: defaultPack.version })
    expect(body.migrations).toBeGreaterThanOrEqual(3)
  })

  it('sends anonymous visitors of the dashboard to the login page', async () => {
    const res = await call('/')
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/login')
  })

  it('answers unknown machine routes with JSON and serves the stylesheet as CSS', async () => {
    const missing = await call('/api/v1/nothing')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'not found' })
    const css = await call('/static/portal.css')
    expect(css.headers.get('Content-Type')).toContain('text/css')
  })

  it('serves htmx from its own origin, versioned and cacheable, and pages load it', async () => {
    const login = await (await call('/login')).text()
    const src = /<script src="(\/static\/htmx-[\d.]+\.min\.js)"/.exec(login)?.[1]
    expect(src).toBeDefined()
    const js = await call(src ?? '')
    expect(js.status).toBe(200)
    expect(js.headers.get('Content-Type')).toContain('text/javascript')
    expect(js.headers.get('Cache-Control')).toContain('immutable')
    expect((await js.text()).startsWith('var htmx=')).toBe(true)
    expect(login).toContain('&quot;allowEval&quot;:false')
  })
})
