/**
 * Bad batches at the real edge: malformed, oversized, unsigned from a sensor that signs,
 * replayed, and wrongly authenticated. Each is refused with a status and a message that says
 * what is wrong, and good batches sent at the same moment go through and raise their alerts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../../scripts/local-stack.ts'
import { freePort } from '../../scripts/proc.ts'
import { encodeEvents } from '../../sensor-native/src/run/wire-batch.ts'
import { alertsOfRule } from './alerts-api.ts'
import { TOR_CLASS, TOR_RULE } from './fault-events.ts'
import { type IngestAnswer, postIngest, torLookup, torLookupBatch } from './ingest-request.ts'
import { addSensorBeside } from './second-sensor.ts'

const BOOT = 'fault-rejects'
const OTHER_SENSOR = 'sen_fault_other'
const REPLAY_WINDOW_MS = 5 * 60_000

let dir: string
let stack: Stack
let otherToken: string
let nextSeq = 0
let nextGood = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socbox-fault-rejects-'))
  const persist = join(dir, 'persist')
  stack = await startStack({ port: await freePort(), persistDir: persist })
  otherToken = await addSensorBeside(persist, stack.credentials.sensor.id, OTHER_SENSOR)
})
afterAll(async () => {
  await stack?.stop()
  // Persisted D1, R2 and Durable Object state, the spool and the source: megabytes per run.
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const token = () => stack.credentials.sensor.token

/** A batch signed by the demo sensor now, at its next seq. */
function signed(body: Uint8Array, seq = nextSeq++) {
  return postIngest({
    url: stack.url,
    token: token(),
    boot: BOOT,
    seq,
    body,
    signWith: { token: token(), timestamp: Date.now() },
  })
}

/** A good batch with its own Tor2web lookup, and the query its alert will name. */
function good(): { query: string; sent: Promise<IngestAnswer> } {
  const query = `good${nextGood++}.onion.to`
  return { query, sent: signed(torLookupBatch(query)) }
}

async function expectDelivered(goods: { query: string; sent: Promise<IngestAnswer> }[]) {
  for (const g of goods) {
    const answer = await g.sent
    expect(answer, g.query).toMatchObject({ status: 200, reply: { accepted: 1, alerts: 1 } })
  }
  const titles = (
    await alertsOfRule(stack.url, stack.credentials.apiToken, TOR_RULE, TOR_CLASS)
  ).map((a) => a.title.en)
  for (const g of goods) expect(titles.filter((t) => t.endsWith(`: ${g.query}`))).toHaveLength(1)
}

function expectRefused(answer: IngestAnswer, status: number, message: RegExp | string) {
  expect({ status: answer.status, error: answer.error }).toEqual({
    status,
    error: expect.stringMatching(message),
  })
}

describe('the edge refuses bad batches and takes the good ones beside them', () => {
  it('signs in the sensor with a good batch (from now on it must sign)', async () => {
    await expectDelivered([good()])
  })

  it('refuses malformed batches with 400 and what is wrong', async () => {
    const columns = encodeEvents([torLookup('a.onion.to'), torLookup('b.onion.to')])
    const group = columns.groups[0]
    if (!group) throw new Error('no group')
    group.cols.query = ['a.onion.to'] // one value for two events
    const goods = [good(), good()]
    const [badJson, shortColumn, notGzip, empty] = await Promise.all([
      signed(gzipSync('{"v":1,"n":1,"groups":[')),
      signed(gzipSync(JSON.stringify(columns))),
      signed(Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really gzip')])),
      signed(gzipSync('')),
    ])
    await expectDelivered(goods)
    expectRefused(badJson, 400, /^malformed batch: the batch is not valid JSON/)
    expectRefused(shortColumn, 400, /^malformed batch: .*query.*has 1 entries, the group has n=2/)
    expectRefused(notGzip, 400, 'body is not valid gzip')
    expectRefused(empty, 400, /^malformed batch/)
  })

  it('refuses oversized bodies with 413, before and after inflating', async () => {
    const goods = [good()]
    const [tooBig, bomb] = await Promise.all([
      signed(Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)),
      // 65 MiB of spaces gzip to about 64 KiB: small on the wire, too big once inflated.
      signed(gzipSync(Buffer.alloc(65 * 1024 * 1024, 0x20))),
    ])
    goods.push(good())
    await expectDelivered(goods)
    expectRefused(tooBig, 413, 'request body exceeds 4194304 bytes')
    expectRefused(bomb, 413, 'inflated batch exceeds 67108864 bytes')
  })

  it('refuses an unsigned batch from a sensor that has signed', async () => {
    const goods = [good()]
    const unsigned = postIngest({
      url: stack.url,
      token: token(),
      boot: BOOT,
      seq: nextSeq++,
      body: torLookupBatch('unsigned.onion.to'),
    })
    const halfSigned = postIngest({
      url: stack.url,
      token: token(),
      boot: BOOT,
      seq: nextSeq++,
      body: torLookupBatch('halfsigned.onion.to'),
      signature: { 'x-socbox-timestamp': String(Date.now()) },
    })
    goods.push(good())
    await expectDelivered(goods)
    expectRefused(
      await unsigned,
      401,
      'unsigned batch: this sensor must send X-Socbox-Timestamp and X-Socbox-Signature',
    )
    expectRefused(
      await halfSigned,
      401,
      'X-Socbox-Timestamp and X-Socbox-Signature must be sent together',
    )
  })

  it('answers a replayed request as a duplicate without a second effect, and refuses one moved or out of its window', async () => {
    const query = `replayed${nextGood++}.onion.to`
    const body = torLookupBatch(query)
    const seq = nextSeq++
    const original = await signed(body, seq)
    const again = (at: number) =>
      postIngest({
        url: stack.url,
        token: token(),
        boot: BOOT,
        seq: at,
        body,
        signature: original.signature,
      })
    // The same boot, seq, body and signature again: the edge already holds it.
    const replay = await again(seq)
    // The captured signature under another seq, to slip the batch in a second time.
    const moved = await again(nextSeq++)
    const old = await postIngest({
      url: stack.url,
      token: token(),
      boot: BOOT,
      seq: nextSeq++,
      body: torLookupBatch('old.onion.to'),
      signWith: { token: token(), timestamp: Date.now() - REPLAY_WINDOW_MS - 60_000 },
    })
    await expectDelivered([{ query, sent: Promise.resolve(original) }, good()])
    expect(replay).toMatchObject({
      status: 200,
      reply: { accepted: 0, alerts: 0, duplicate: true },
    })
    expectRefused(moved, 401, 'batch signature does not verify')
    expectRefused(old, 401, /^X-Socbox-Timestamp is outside the replay window/)
  })

  it("refuses a bad credential, and another sensor's credential with this sensor's signature", async () => {
    const goods = [good()]
    const body = torLookupBatch('stranger.onion.to')
    const sensorId = stack.credentials.sensor.id
    const [wrongSecret, noCredential, otherSensor] = await Promise.all([
      postIngest({
        url: stack.url,
        token: `sbs1.${sensorId}.${'x'.repeat(43)}`,
        boot: BOOT,
        seq: nextSeq++,
        body,
        signWith: { token: token(), timestamp: Date.now() },
      }),
      postIngest({ url: stack.url, boot: BOOT, seq: nextSeq++, body }),
      postIngest({
        url: stack.url,
        token: otherToken,
        boot: BOOT,
        seq: 0,
        body,
        signWith: { token: token(), timestamp: Date.now() },
      }),
    ])
    goods.push(good())
    await expectDelivered(goods)
    expectRefused(wrongSecret, 401, /^invalid sensor credential/)
    expectRefused(noCredential, 401, /^invalid sensor credential/)
    expectRefused(otherSensor, 401, 'batch signature does not verify')
    const all = await alertsOfRule(stack.url, stack.credentials.apiToken, TOR_RULE, TOR_CLASS)
    expect(all.filter((a) => a.title.en.endsWith(': stranger.onion.to'))).toHaveLength(0)
  })
})
