import { describe, expect, it } from 'vitest'
import { signatureHeaders, signerForToken } from './batch-signature.ts'

const secret = 'A'.repeat(43)
const token = `sbs1.sen_0123456789abcdef.${secret}`

/** The edge's computation, written again with WebCrypto as the Worker does it. */
async function edgeSignature(ts: number, body: Uint8Array): Promise<string> {
  const enc = new TextEncoder()
  const hmac = async (key: Uint8Array, data: Uint8Array) => {
    const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])
    return new Uint8Array(await crypto.subtle.sign('HMAC', k, data))
  }
  const signingKey = await hmac(enc.encode(secret), enc.encode('socbox-sign-v1'))
  const head = enc.encode(`v1\n${ts}\nsen_0123456789abcdef\nboot-1\n7\n`)
  const message = new Uint8Array([...head, ...body])
  return `v1=${Buffer.from(await hmac(signingKey, message)).toString('hex')}`
}

describe('batch signature', () => {
  it('matches the edge computation over timestamp, sensor, boot, seq and the body as sent', async () => {
    const signer = signerForToken(token)
    if (!signer) throw new Error('a sensor credential must give a signer')
    const body = new Uint8Array([0x1f, 0x8b, 1, 2, 3])
    const headers = signatureHeaders(signer, { boot: 'boot-1', seq: 7 }, body, 1_700_000_000_000)
    expect(headers['x-socbox-timestamp']).toBe('1700000000000')
    expect(headers['x-socbox-signature']).toBe(await edgeSignature(1_700_000_000_000, body))
    const other = signatureHeaders(signer, { boot: 'boot-1', seq: 8 }, body, 1_700_000_000_000)
    expect(other['x-socbox-signature']).not.toBe(headers['x-socbox-signature'])
  })

  it('does not sign with a token that is not a sensor credential', () => {
    expect(signerForToken(`sbt1.tok_1234.${secret}`)).toBeNull()
    expect(signerForToken('sbs1.x.y')).toBeNull()
  })
})
