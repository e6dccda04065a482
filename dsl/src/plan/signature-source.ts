// Content signatures as the feed build writes them (rules/dist/feeds/content.json) → the match
// plan's `content` (schema README §3). Suricata sticky-buffer names that mean a plan field are
// renamed to it; a signature reading a field the plan has no name for is left out (the sensor
// could never fill it) and counted by the caller.
import type { MatchPlanSignature } from '../runtime/types.ts'

/** A signature of the feed build: the plan shape without `set`, possibly with Suricata names. */
export type SourceSignature = {
  id: string
  set?: string
  fields: string[]
  patterns: MatchPlanSignature['patterns']
  regex?: MatchPlanSignature['regex']
  sizes?: MatchPlanSignature['sizes']
  [key: string]: unknown
}

/** Signature sets by id (`et-open`), e.g. from signatureSetsFrom(content.json's signatures). */
export interface SignatureSource {
  get(set: string): SourceSignature[] | undefined
}

/** The fields of match plan v1. */
export const PLAN_FIELDS: ReadonlySet<string> = new Set([
  'http.method',
  'http.uri',
  'http.host',
  'http.user_agent',
  'http.referrer',
  'http.header',
  'http.request_body',
  'file.data',
  'dns.query',
  'tls.sni',
  'tls.subject',
  'tls.issuer',
  'payload',
])

const RENAMED: Readonly<Record<string, string>> = {
  'http.referer': 'http.referrer',
  'http.response_body': 'file.data',
  'tls.cert_subject': 'tls.subject',
  'tls.cert_issuer': 'tls.issuer',
}

const planField = (field: string): string => RENAMED[field] ?? field

/** Groups signatures by `set`, or by their id's prefix (`et-open:2019401` → `et-open`). */
export function signatureSetsFrom(signatures: SourceSignature[]): SignatureSource {
  const bySet = new Map<string, SourceSignature[]>()
  for (const signature of signatures) {
    const set = signature.set ?? signature.id.split(':')[0] ?? ''
    const list = bySet.get(set)
    if (list) list.push(signature)
    else bySet.set(set, [signature])
  }
  return { get: (set) => bySet.get(set) }
}

type Body = Pick<MatchPlanSignature, 'fields' | 'patterns' | 'regex' | 'sizes'>

/**
 * The plan form of `signature` in `set`, or undefined when it reads a field outside the plan.
 * `flowbits` travel as they are: a signature testing a bit whose setters were left out here is
 * refused by the sensor (no loaded signature sets it), with that reason in its report.
 */
export function toPlanSignature(
  signature: SourceSignature,
  set: string,
): MatchPlanSignature | undefined {
  const fields = [
    ...signature.fields,
    ...signature.patterns.map((p) => p.field),
    ...(signature.regex ? [signature.regex.field] : []),
    ...Object.keys(signature.sizes ?? {}),
  ]
  if (!fields.every((field) => PLAN_FIELDS.has(planField(field)))) return undefined
  return { ...signature, ...renamed(signature), set }
}

function renamed(body: Body): Body {
  const out: Body = {
    fields: body.fields.map(planField),
    patterns: body.patterns.map((p) => ({ ...p, field: planField(p.field) })),
  }
  if (body.regex) out.regex = { ...body.regex, field: planField(body.regex.field) }
  if (body.sizes)
    out.sizes = Object.fromEntries(
      Object.entries(body.sizes).map(([field, size]) => [planField(field), size]),
    )
  return out
}
