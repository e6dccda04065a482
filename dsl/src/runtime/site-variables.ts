// Site variables at run time: the pack's defaults, replaced per tenant by the values in its
// settings (`{ home_nets: ["10.0.0.0/8"] }`). Values are checked against the declared types;
// a bad override is reported and the default kept, so one typo does not blind every rule.
import { cidrTest, type VariableSlot } from './compile-expr.ts'
import { parsePrefix } from './ip-address.ts'
import type { Literal, VariableIR } from './ir.ts'
import { domainName, domainTest, isPort } from './site-value.ts'
import type { SiteSettings } from './types.ts'

export type SiteProblem = { variable: string; message: string }

export type SiteVariables = {
  /** The slot compiled closures read; throws for an undeclared name (the checker prevents it). */
  slot(name: string): VariableSlot
  /** Points every slot at this tenant's values (defaults where it sets none); cheap when unchanged. */
  bind(site: SiteSettings | undefined): SiteProblem[]
}

/** The tenant's settings checked against the declarations: usable values and problems. */
export function checkSiteSettings(
  variables: readonly VariableIR[],
  site: unknown,
): { values: Map<string, Literal | Literal[]>; problems: SiteProblem[] } {
  const values = new Map<string, Literal | Literal[]>()
  const problems: SiteProblem[] = []
  if (site === undefined || site === null) return { values, problems }
  if (typeof site !== 'object' || Array.isArray(site)) {
    problems.push({ variable: '', message: 'site settings must be an object of variable values' })
    return { values, problems }
  }
  const declared = new Map(variables.map((v) => [v.name, v]))
  for (const [name, value] of Object.entries(site as Record<string, unknown>)) {
    const variable = declared.get(name.startsWith('$') ? name.slice(1) : name)
    if (variable === undefined) {
      problems.push({ variable: name, message: `no site variable $${name} is declared` })
      continue
    }
    const problem = valueProblem(variable, value)
    if (problem) problems.push({ variable: variable.name, message: problem })
    else values.set(variable.name, value as Literal | Literal[])
  }
  return { values, problems }
}

function valueProblem(variable: VariableIR, value: unknown): string | undefined {
  const element = (v: unknown): boolean => {
    switch (variable.type) {
      case 'cidrs':
        return typeof v === 'string' && parsePrefix(v) !== undefined
      case 'strings':
      case 'string':
        return typeof v === 'string'
      case 'numbers':
      case 'number':
        return typeof v === 'number' && Number.isFinite(v)
      case 'ports':
        return isPort(v)
      case 'domains':
        return domainName(v) !== undefined
      case 'bool':
        return typeof v === 'boolean'
    }
  }
  const list = isListType(variable.type)
  if (list) {
    if (!Array.isArray(value)) return `$${variable.name} is a list of ${variable.type}`
    if (value.length > MAX_LIST) return `$${variable.name} has more than ${MAX_LIST} entries`
    const bad = value.find((v) => !element(v))
    return bad === undefined
      ? undefined
      : `$${variable.name}: ${JSON.stringify(bad)} is not ${ELEMENT[variable.type] ?? `one of ${variable.type}`}`
  }
  return element(value) ? undefined : `$${variable.name} is a ${variable.type}`
}

const ELEMENT: Partial<Record<VariableIR['type'], string>> = {
  cidrs: 'an address or prefix',
  ports: 'a port number (0–65535)',
  domains: 'a DNS name',
}

/** The types whose value is a list, tested with `in`. */
export function isListType(type: VariableIR['type']): boolean {
  return (
    type === 'cidrs' ||
    type === 'strings' ||
    type === 'numbers' ||
    type === 'ports' ||
    type === 'domains'
  )
}

/** Per variable; a larger list belongs in an intel list matched by the sensor. */
export const MAX_LIST = 10_000

export function createSiteVariables(variables: readonly VariableIR[]): SiteVariables {
  const slots = new Map<string, VariableSlot>()
  const defaults = new Map<string, VariableSlot>()
  for (const variable of variables) {
    const slot = slotOf(variable, variable.default)
    defaults.set(variable.name, { ...slot })
    slots.set(variable.name, slot)
  }
  let bound: SiteSettings | undefined
  let boundProblems: SiteProblem[] = []
  // One tenant's compiled values (prefix tests, sets), kept while its settings object is the same.
  const cache = new WeakMap<
    SiteSettings,
    { values: Map<string, VariableSlot>; problems: SiteProblem[] }
  >()
  return {
    slot(name) {
      const slot = slots.get(name)
      if (slot === undefined) throw new Error(`site variable $${name} is not declared in the pack`)
      return slot
    },
    bind(site) {
      if (site === bound) return boundProblems
      let compiled = site === undefined ? undefined : cache.get(site)
      if (site !== undefined && compiled === undefined) {
        const { values, problems } = checkSiteSettings(variables, site)
        const slotsOf = new Map<string, VariableSlot>()
        for (const variable of variables) {
          const value = values.get(variable.name)
          if (value !== undefined) slotsOf.set(variable.name, slotOf(variable, value))
        }
        compiled = { values: slotsOf, problems }
        cache.set(site, compiled)
      }
      for (const [name, slot] of slots) {
        const next = compiled?.values.get(name) ?? defaults.get(name)
        if (next) {
          slot.value = next.value
          slot.has = next.has
        }
      }
      bound = site
      boundProblems = compiled?.problems ?? []
      return boundProblems
    },
  }
}

function slotOf(variable: VariableIR, value: Literal | Literal[]): VariableSlot {
  if (variable.type === 'cidrs') {
    const list = value as string[]
    return { value: list, has: cidrTest(list) }
  }
  if (variable.type === 'domains') {
    const list = value as string[]
    return { value: list, has: domainTest(list) }
  }
  if (Array.isArray(value)) {
    const set = new Set<unknown>(value)
    return { value, has: (v) => set.has(v) }
  }
  return { value, has: (v) => v === value }
}
