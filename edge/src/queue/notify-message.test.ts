import { describe, expect, it } from 'vitest'
import { isNotifyMessage } from './notify-message.ts'

describe('isNotifyMessage', () => {
  it('accepts messages with and without routes, and refuses malformed routes', () => {
    expect(isNotifyMessage({ kind: 'alerts.new', alerts: [{ id: 1, tenantId: 't' }] })).toBe(true)
    expect(
      isNotifyMessage({
        kind: 'alerts.new',
        alerts: [{ id: 1, tenantId: 't', routes: ['immediate'] }],
      }),
    ).toBe(true)
    expect(
      isNotifyMessage({ kind: 'alerts.new', alerts: [{ id: 1, tenantId: 't', routes: [1] }] }),
    ).toBe(false)
    expect(
      isNotifyMessage({ kind: 'alerts.new', alerts: [{ id: 1, tenantId: 't', routes: 'x' }] }),
    ).toBe(false)
  })
})
