import { describe, expect, it } from 'vitest'
import { signBatch, verifyBatch } from './batch-signature.ts'
import { issueCredential, parseCredential, SENSOR_PREFIX } from './credential.ts'
import { sha256Hex } from './digest.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { SealError, seal, unseal } from './seal.ts'
import { deriveSigningKey } from './signing-key.ts'

const KEY = btoa('k'.repeat(32))

describe('passwords', () => {
  it('verifies the right password only, and refuses iteration counts above the Workers cap', async () => {
    const hash = await hashPassword('pw one', 1000)
    expect(hash).toMatch(/^pbkdf2-sha256\$1000\$/)
    expect(await verifyPassword('pw one', hash)).toBe(true)
    expect(await verifyPassword('pw two', hash)).toBe(false)
    expect(await verifyPassword('pw one', hash.replace('$1000$', '$200000$'))).toBe(false)
    expect(await verifyPassword('pw one', 'garbage')).toBe(false)
  })
})

describe('credentials', () => {
  it('issues sbs1 tokens whose secret hash is what gets stored', async () => {
    const c = await issueCredential(SENSOR_PREFIX, 'sen_abc')
    expect(c.token).toMatch(/^sbs1\.sen_abc\.[A-Za-z0-9_-]{43}$/)
    expect(parseCredential(SENSOR_PREFIX, c.token)).toEqual({ id: 'sen_abc', secret: c.secret })
    expect(c.secretHash).toBe(await sha256Hex(c.secret))
    expect(parseCredential('sbt1', c.token)).toBeNull()
    expect(parseCredential(SENSOR_PREFIX, `${c.token}.x`)).toBeNull()
  })
})

describe('sealing', () => {
  it('round-trips, and refuses another context or key', async () => {
    const secret = new Uint8Array([1, 2, 3])
    const sealed = await seal(KEY, secret, 'sen_a')
    expect(await unseal(KEY, sealed, 'sen_a')).toEqual(secret)
    await expect(unseal(KEY, sealed, 'sen_b')).rejects.toBeInstanceOf(SealError)
    await expect(unseal(btoa('x'.repeat(32)), sealed, 'sen_a')).rejects.toBeInstanceOf(SealError)
    await expect(seal(btoa('short'), secret, 'sen_a')).rejects.toBeInstanceOf(SealError)
  })
})

describe('batch signatures', () => {
  const parts = {
    timestamp: 1_700_000_000_000,
    sensorId: 'sen_a',
    boot: 'b1',
    seq: 3,
    body: new Uint8Array([0x1f, 0x8b, 9]),
  }

  it('verifies what was signed with the key derived from the same secret', async () => {
    const key = await deriveSigningKey('secret-1')
    const sig = await signBatch(key, parts)
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/)
    expect(await verifyBatch(await deriveSigningKey('secret-1'), parts, sig)).toBe(true)
    expect(await verifyBatch(await deriveSigningKey('secret-2'), parts, sig)).toBe(false)
  })

  it('fails when any signed part changes', async () => {
    const key = await deriveSigningKey('secret-1')
    const sig = await signBatch(key, parts)
    const changed = [
      { ...parts, timestamp: parts.timestamp + 1 },
      { ...parts, sensorId: 'sen_b' },
      { ...parts, boot: 'b2' },
      { ...parts, seq: 4 },
      { ...parts, body: new Uint8Array([0x1f, 0x8b, 8]) },
    ]
    for (const p of changed) expect(await verifyBatch(key, p, sig)).toBe(false)
    expect(await verifyBatch(key, parts, sig.toUpperCase())).toBe(false)
  })
})
