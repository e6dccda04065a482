// `variable $home_nets cidrs [10.0.0.0/8] { en "…" ja "…" }` → VariableIR: a typed default that
// a tenant may override (the runtime checks overrides against the same types).
import type { Problem } from '../diagnostics/diagnostic.ts'
import { parsePrefix } from '../runtime/ip-address.ts'
import type { Literal, VariableIR, VariableType } from '../runtime/ir.ts'
import { domainName, isPort } from '../runtime/site-value.ts'
import { isListType } from '../runtime/site-variables.ts'
import type { LiteralNode, VariableNode } from '../syntax/ast.ts'
import { problemAt } from './check-expression.ts'

export const VARIABLE_TYPES: readonly VariableType[] = [
  'cidrs',
  'strings',
  'numbers',
  'ports',
  'domains',
  'string',
  'number',
  'bool',
]
export const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/

export function checkVariable(
  node: VariableNode,
  report: (problem: Problem) => void,
): VariableIR | undefined {
  let failed = false
  const fail = (...args: Parameters<typeof problemAt>) => {
    failed = true
    report(problemAt(...args))
  }
  const name = node.name.value
  if (!VARIABLE_NAME.test(name))
    fail(node.name.at, `$${name}: site variable names are lower case`, 'e.g. $home_nets')
  const type = node.valueType.value as VariableType
  if (!VARIABLE_TYPES.includes(type)) {
    fail(node.valueType.at, `unknown variable type ${type}`, `one of ${VARIABLE_TYPES.join(', ')}`)
    return undefined
  }
  const list = isListType(type)
  let value: Literal | Literal[] = list ? [] : ''
  if (list !== (node.value.type === 'list')) {
    fail(
      node.value.at,
      list ? `a ${type} variable takes a list [..]` : `a ${type} variable takes one value`,
      list ? `e.g. variable $${name} ${type} []` : `e.g. variable $${name} ${type} 10`,
    )
  } else if (node.value.type === 'list') {
    value = node.value.items.flatMap((item) => checkItem(item, type, fail))
  } else {
    value = checkItem(node.value, type, fail)[0] ?? ''
  }
  const doc = { en: '', ja: '' }
  for (const entry of node.text?.entries ?? []) {
    const lang = entry.lang.value
    if (lang !== 'en' && lang !== 'ja') fail(entry.lang.at, `unknown language ${lang}`)
    else doc[lang] = entry.text.value
  }
  if (node.text && (doc.en === '' || doc.ja === ''))
    fail(node.text.at, `$${name} needs its description in English and Japanese`)
  if (failed) return undefined
  return { name, type, default: value, doc }
}

function checkItem(
  item: LiteralNode,
  type: VariableType,
  fail: (...args: Parameters<typeof problemAt>) => void,
): Literal[] {
  const value = item.value
  const ok =
    type === 'cidrs'
      ? typeof value === 'string' && parsePrefix(value) !== undefined
      : type === 'ports'
        ? item.kind === 'number' && isPort(value)
        : type === 'domains'
          ? typeof value === 'string' && item.kind !== 'ip' && domainName(value) !== undefined
          : type === 'strings' || type === 'string'
            ? typeof value === 'string' && item.kind !== 'ip' && item.kind !== 'duration'
            : type === 'numbers' || type === 'number'
              ? item.kind === 'number'
              : item.kind === 'bool'
  if (ok) return [value]
  const want =
    type === 'cidrs'
      ? 'an IP address or prefix (10.0.0.0/8, "fc00::/7")'
      : type === 'ports'
        ? 'a port number (0–65535)'
        : type === 'domains'
          ? 'a "DNS name" (e.g. "corp.example")'
          : type === 'strings' || type === 'string'
            ? 'a "string"'
            : type === 'bool'
              ? 'true or false'
              : 'a number'
  fail(item.at, `${JSON.stringify(value)} is not ${want}`)
  return []
}
