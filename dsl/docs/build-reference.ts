// Generates reference.md (from reference.template.md, the event schema and the built-in tables)
// and dist/syntax-diagrams.html (Chevrotain's railroad diagrams of the one parser, with the
// diagram scripts inlined so the page needs nothing from the network). Run by the package's
// build (so by npm install) and `npm run docs -w @socbox/dsl`; reference.test.ts fails when the
// committed reference.md is out of date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSyntaxDiagramsCode } from 'chevrotain'
import { COMMON_FIELDS, EVENT_KINDS, type FieldSpec } from '../schema/event-schema.ts'
import { ALERT_FIELDS } from '../src/check/alert-fields.ts'
import { DEFAULT_LIMITS, MAX_LIMITS } from '../src/check/check-correlation.ts'
import { STATUSES } from '../src/check/check-detection.ts'
import {
  DEFAULT_POLICY_LIMITS,
  MAX_POLICY_LIMITS,
  POLICY_EXPECTATIONS,
} from '../src/check/check-policy.ts'
import { VARIABLE_TYPES } from '../src/check/check-variables.ts'
import { OTHER_CLASS_IDS, THREAT_CLASS_IDS } from '../src/check/class-ids.ts'
import { DEFAULT_FIRST_SEEN_LIMITS } from '../src/runtime/first-seen.ts'
import { FUNCTION_SIGNATURES } from '../src/runtime/functions.ts'
import { SEVERITIES } from '../src/runtime/types.ts'
import { parser } from '../src/syntax/parser.ts'

const here = new URL('./', import.meta.url)

function fieldTable(fields: Record<string, FieldSpec>): string {
  const rows = Object.entries(fields).map(([name, spec]) => {
    const values = spec.values ? ` One of ${spec.values.map((v) => `\`${v}\``).join(', ')}.` : ''
    const ioc = spec.ioc ? ` Matched against ${spec.ioc} lists.` : ''
    return `| \`${name}\` | ${spec.type} | ${spec.doc}.${values}${ioc} |`
  })
  return ['| field | type | meaning |', '| --- | --- | --- |', ...rows].join('\n')
}

export function buildReference(): string {
  const template = readFileSync(new URL('reference.template.md', here), 'utf8')
  const parts: Record<string, string> = {
    severities: SEVERITIES.map((s) => `\`${s}\``).join(', '),
    statuses: STATUSES.map((s) => `\`${s}\``).join(', '),
    classes: [
      `Threat classes: ${THREAT_CLASS_IDS.map((c) => `\`${c}\``).join(', ')}.`,
      `Other alerts: ${OTHER_CLASS_IDS.map((c) => `\`${c}\``).join(', ')}, and \`info.*\` for informational findings.`,
    ].join('\n'),
    functions: [
      '| function | arguments | result | meaning |',
      '| --- | --- | --- | --- |',
      ...Object.entries(FUNCTION_SIGNATURES).map(
        ([name, sig]) =>
          `| \`${name}\` | ${sig.params.join(', ')} | ${sig.returns} | ${sig.doc.replaceAll('|', '\\|')} |`,
      ),
      '| `exists` | field | bool | true when the field is present |',
    ].join('\n'),
    limits: (Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[])
      .map((name) => `\`${name}\` (default ${DEFAULT_LIMITS[name]}, at most ${MAX_LIMITS[name]})`)
      .join(', '),
    'common-fields': fieldTable(COMMON_FIELDS),
    'alert-fields': fieldTable(ALERT_FIELDS),
    'first-seen-values': DEFAULT_FIRST_SEEN_LIMITS.values.toLocaleString('en'),
    'variable-types': VARIABLE_TYPES.map((t) => `\`${t}\``).join(', '),
    'policy-limits': (Object.keys(DEFAULT_POLICY_LIMITS) as (keyof typeof DEFAULT_POLICY_LIMITS)[])
      .map(
        (name) =>
          `\`${name}\` (default ${DEFAULT_POLICY_LIMITS[name]}, at most ${MAX_POLICY_LIMITS[name]})`,
      )
      .join(', '),
    'policy-expectations': Object.entries(POLICY_EXPECTATIONS)
      .map(([name, kind]) => `\`${name}\` (${kind})`)
      .join(', '),
    kinds: Object.entries(EVENT_KINDS)
      .map(([kind, spec]) => `### \`${kind}\`\n${spec.doc}.\n\n${fieldTable(spec.fields)}`)
      .join('\n\n'),
  }
  return template.replace(/<!-- ([a-z-]+) -->/g, (marker, name: string) => {
    const part = parts[name]
    if (part === undefined) throw new Error(`reference.template.md: unknown marker ${marker}`)
    return part
  })
}

export function buildDiagrams(): string {
  // The package exports only its API (lib/src/api.js); the diagram assets sit two folders up.
  const api = fileURLToPath(import.meta.resolve('chevrotain'))
  const base = join(dirname(api), '..', '..', 'diagrams')
  const read = (path: string) => readFileSync(join(base, path), 'utf8')
  const html = createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
    resourceBase: 'INLINE/',
    css: 'INLINE.css',
  })
  // Replace every external resource by its text, so the page works offline and self-hosted.
  return html
    .replace(
      "<link rel='stylesheet' href='INLINE.css'>",
      () => `<style>\n${read('diagrams.css')}</style>`,
    )
    .replace(
      /<script src='INLINE\/([a-z_/-]+\.js)'><\/script>/g,
      (_, path: string) => `<script>\n${read(path)}</script>`,
    )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('reference.md', here), buildReference())
  // The diagrams inline Chevrotain's diagram scripts (vendor code), so they are built, not kept.
  mkdirSync(new URL('../dist/', here), { recursive: true })
  writeFileSync(new URL('../dist/syntax-diagrams.html', here), buildDiagrams())
  console.error('wrote dsl/docs/reference.md and dsl/dist/syntax-diagrams.html')
}
