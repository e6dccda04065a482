// The fields a policy condition can test: the alert as the rules raised it (after the severity
// lines above it), its tenant and sensor. Typed like event fields, so the same checker types
// `class == "recon.scan" and src.ip in $scanners`.
import type { FieldSpec } from '../../schema/event-schema.ts'
import { SEVERITIES } from '../runtime/types.ts'
import type { FieldSubject } from './check-expression.ts'

const endpoint = (side: 'src' | 'dst', who: string): Record<string, FieldSpec> => ({
  [`${side}.ip`]: { type: 'ip', doc: `the ${who} address of the event that raised the alert` },
  [`${side}.port`]: { type: 'number', doc: `the ${who} port` },
  [`${side}.internal`]: {
    type: 'bool',
    doc: `true when the sensor counts the ${who} as inside the home networks`,
  },
})

export const ALERT_FIELDS: Record<string, FieldSpec> = {
  rule: { type: 'string', doc: 'the id of the rule that raised the alert, e.g. SB-C2-0002' },
  version: { type: 'number', doc: 'the version of that rule' },
  class: { type: 'string', doc: 'the class id, e.g. malware.c2, device.offline' },
  severity: {
    type: 'string',
    doc: 'the severity so far; ordered, so severity >= high works',
    values: SEVERITIES,
  },
  kind: { type: 'string', doc: 'the kind of the event that raised it (dns, conn, …)' },
  key: { type: 'string', doc: 'the dedup key: rule id and emit key values' },
  tenant: { type: 'string', doc: 'the tenant id' },
  sensor: { type: 'string', doc: 'the sensor id' },
  flow: { type: 'string', doc: 'the flow id of the event, when it has one' },
  attack: { type: 'string[]', doc: 'ATT&CK technique ids of the rule' },
  ...endpoint('src', 'source'),
  ...endpoint('dst', 'destination'),
}

export const ALERT_SUBJECT: FieldSubject = {
  spec: (path) => (Object.hasOwn(ALERT_FIELDS, path) ? ALERT_FIELDS[path] : undefined),
  names: () => Object.keys(ALERT_FIELDS),
  noun: 'alerts',
}
