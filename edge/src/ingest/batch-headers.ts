/**
 * Where a batch sits in its sensor's stream: `X-Socbox-Boot` names the agent's run (a new id
 * after every restart) and `X-Socbox-Seq` numbers the batches of that run from 0. Together they
 * make a retried batch recognisable, so ingest is idempotent.
 */
import { HTTPException } from 'hono/http-exception'

export const BOOT_HEADER = 'X-Socbox-Boot'
export const SEQ_HEADER = 'X-Socbox-Seq'

export type BatchPosition = { boot: string; seq: number }

const BOOT_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/

export function readBatchPosition(headers: Headers): BatchPosition {
  const boot = headers.get(BOOT_HEADER)
  const seqText = headers.get(SEQ_HEADER)
  if (!boot || !BOOT_PATTERN.test(boot)) {
    throw new HTTPException(400, {
      message: `${BOOT_HEADER} missing or invalid: 1-64 characters of [A-Za-z0-9_.:-]`,
    })
  }
  const seq = Number(seqText)
  if (seqText === null || !/^\d+$/.test(seqText) || !Number.isSafeInteger(seq)) {
    throw new HTTPException(400, {
      message: `${SEQ_HEADER} missing or invalid: a non-negative integer`,
    })
  }
  return { boot, seq }
}
