// A policy's syntax tree → PolicyIR. Conditions are typed against the alert's fields
// (alert-fields.ts); names, owners, reasons and dates of exceptions and suppression windows are
// required; a dedup or rate line after one that matches every alert is unreachable and refused.
import type { Problem } from '../diagnostics/diagnostic.ts'
import type {
  DedupIR,
  ExceptionIR,
  ExprIR,
  PolicyIR,
  PolicyLimitsIR,
  RateIR,
  RouteIR,
  SeverityRuleIR,
  SuppressionIR,
  ValueIR,
  VariableIR,
} from '../runtime/ir.ts'
import { IR_VERSION } from '../runtime/ir.ts'
import { SEVERITIES } from '../runtime/types.ts'
import type {
  ExprNode,
  Located,
  OperandNode,
  PolicyNode,
  PolicyStatement,
  PolicyTestNode,
  Span,
} from '../syntax/ast.ts'
import { ALERT_SUBJECT } from './alert-fields.ts'
import {
  checkExpression,
  checkValue,
  type ExpressionContext,
  problemAt,
} from './check-expression.ts'
import { policyTime } from './policy-date.ts'

export const POLICY_ID = /^[a-z][a-z0-9-]*$/
export const CHANNEL_NAME = /^[a-z][a-z0-9_.-]*$/
export const DEFAULT_POLICY_LIMITS: PolicyLimitsIR = { dedup: 50_000, rates: 10_000, sample: 20 }
export const MAX_POLICY_LIMITS: PolicyLimitsIR = { dedup: 1_000_000, rates: 100_000, sample: 100 }
const MAX_DEDUP_MS = 30 * 86_400_000
const MAX_RATE_MS = 7 * 86_400_000

export type CheckedPolicy = { ir: PolicyIR | undefined; tests: PolicyTestNode[] }

export function checkPolicy(
  node: PolicyNode,
  variables: ReadonlyMap<string, VariableIR>,
  report: (problem: Problem) => void,
): CheckedPolicy {
  let failed = false
  const fail = (at: Span, message: string, hint?: string) => {
    failed = true
    report(problemAt(at, message, hint))
  }
  const ctx: ExpressionContext = {
    kind: 'alert',
    lists: undefined,
    usedLists: new Set(),
    subject: ALERT_SUBJECT,
    variables,
    report: (problem) => {
      failed = true
      report(problem)
    },
  }
  const condition = (when: ExprNode | undefined): ExprIR =>
    when === undefined
      ? { op: 'const', value: true }
      : rankSeverity(checkExpression(severityWords(when, fail), ctx))
  const values = (by: OperandNode[] | undefined): ValueIR[] | null =>
    by === undefined ? null : by.map((operand) => checkValue(operand, ctx).ir)

  const id = node.id.value
  if (!POLICY_ID.test(id))
    fail(node.id.at, `policy id ${JSON.stringify(id)} is not lower-case words`, 'e.g. "default"')
  if (!Number.isInteger(node.version.value) || node.version.value < 1)
    fail(node.version.at, 'version must be a whole number from 1')

  const title = { en: '', ja: '' }
  const seenText = new Set<string>()
  const severity: SeverityRuleIR[] = []
  const exceptions: ExceptionIR[] = []
  const suppressions: SuppressionIR[] = []
  const dedup: DedupIR[] = []
  const rates: RateIR[] = []
  const routes: RouteIR[] = []
  const limits = { ...DEFAULT_POLICY_LIMITS }
  const tests: PolicyTestNode[] = []
  const names = new Map<string, Span>()
  // The unconditional dedup/rate line, if any: lines after it never apply.
  const catchAll: { dedup?: Span; rate?: Span } = {}

  for (const statement of node.statements) {
    switch (statement.kind) {
      case 'title':
      case 'explain': {
        if (seenText.has(statement.kind)) fail(statement.at, `${statement.kind} is given twice`)
        seenText.add(statement.kind)
        if (statement.kind === 'explain') break
        for (const entry of statement.text.entries) {
          const lang = entry.lang.value
          if (lang !== 'en' && lang !== 'ja') fail(entry.lang.at, `unknown language ${lang}`)
          else title[lang] = entry.text.value
        }
        break
      }
      case 'severity':
        severity.push(checkSeverityLine(statement, fail, condition))
        break
      case 'except':
      case 'suppress': {
        const known = names.get(statement.name.value)
        if (known)
          fail(
            statement.name.at,
            `${JSON.stringify(statement.name.value)} is already the name of the ${statement.kind === 'except' ? 'exception' : 'window'} at line ${known.line}`,
            'names say which exception or window suppressed an alert: keep them unique',
          )
        names.set(statement.name.value, statement.name.at)
        const checked = checkNamed(statement, fail, condition)
        if (checked?.kind === 'except') exceptions.push(checked.ir)
        else if (checked?.kind === 'suppress') suppressions.push(checked.ir)
        break
      }
      case 'dedup': {
        const window = statement.window.value
        if (window < 1000 || window > MAX_DEDUP_MS)
          fail(statement.window.at, 'a dedup window lasts from 1s to 30d')
        unreachable('dedup', statement, catchAll, fail)
        dedup.push({ window, by: values(statement.by), when: condition(statement.when) })
        break
      }
      case 'rate': {
        const max = statement.max.value
        if (!Number.isInteger(max) || max < 1 || max > 1_000_000)
          fail(statement.max.at, 'a rate limit is a whole number from 1 to 1000000')
        if (statement.per.value < 1000 || statement.per.value > MAX_RATE_MS)
          fail(statement.per.at, 'a rate window lasts from 1s to 7d')
        unreachable('rate', statement, catchAll, fail)
        rates.push({
          max,
          per: statement.per.value,
          by: values(statement.by),
          when: condition(statement.when),
        })
        break
      }
      case 'route': {
        const channels: string[] = []
        for (const channel of statement.channels) {
          if (!CHANNEL_NAME.test(channel.value))
            fail(
              channel.at,
              `${JSON.stringify(channel.value)} is not a channel name`,
              'channel names are lower-case words: immediate, digest, operations',
            )
          else if (channels.includes(channel.value))
            fail(channel.at, `${channel.value} is listed twice`)
          else channels.push(channel.value)
        }
        routes.push({ channels, when: condition(statement.when) })
        break
      }
      case 'limits':
        for (const entry of statement.entries) {
          const name = entry.name.value as keyof PolicyLimitsIR
          if (!Object.hasOwn(DEFAULT_POLICY_LIMITS, name)) {
            fail(
              entry.name.at,
              `unknown limit ${entry.name.value}`,
              `policy limits: ${Object.keys(DEFAULT_POLICY_LIMITS).join(', ')}`,
            )
            continue
          }
          const value = entry.value.value
          if (!Number.isInteger(value) || value < 1 || value > MAX_POLICY_LIMITS[name])
            fail(
              entry.value.at,
              `${name} must be a whole number from 1 to ${MAX_POLICY_LIMITS[name]}`,
            )
          else limits[name] = value
        }
        break
      case 'test':
        checkTestExpectations(statement.test, fail)
        tests.push(statement.test)
        break
    }
  }
  if (failed) return { ir: undefined, tests }
  return {
    ir: {
      ir: IR_VERSION,
      type: 'policy',
      id,
      version: node.version.value,
      title: { en: title.en || title.ja, ja: title.ja || title.en },
      severity,
      exceptions,
      suppressions,
      dedup,
      rates,
      routes,
      limits,
    },
    tests,
  }
}

type Fail = (at: Span, message: string, hint?: string) => void

function unreachable(
  what: 'dedup' | 'rate',
  statement: { at: Span; when: ExprNode | undefined },
  catchAll: { dedup?: Span; rate?: Span },
  fail: Fail,
) {
  const first = catchAll[what]
  if (first)
    fail(
      statement.at,
      `this ${what} line never applies: the one at line ${first.line} has no when and matches every alert first`,
      `the first ${what} line whose condition holds applies: put the line without when last`,
    )
  else if (statement.when === undefined) catchAll[what] = statement.at
}

function checkSeverityLine(
  statement: Extract<PolicyStatement, { kind: 'severity' }>,
  fail: Fail,
  condition: (when: ExprNode | undefined) => ExprIR,
): SeverityRuleIR {
  const { direction, to, by } = statement
  if (to !== undefined && !(SEVERITIES as readonly string[]).includes(to.value))
    fail(to.at, `unknown severity ${to.value}`, `one of ${SEVERITIES.join(', ')}`)
  if (by !== undefined) {
    if (direction === 'set')
      fail(by.at, 'set severity takes a level', 'write set severity to low, or raise/lower … by N')
    else if (!Number.isInteger(by.value) || by.value < 1 || by.value > SEVERITIES.length - 1)
      fail(by.at, `raise and lower move by 1 to ${SEVERITIES.length - 1} levels`)
  }
  return {
    op: direction,
    to: to?.value ?? null,
    by: by?.value ?? 0,
    when: condition(statement.when),
  }
}

function checkNamed(
  statement: Extract<PolicyStatement, { kind: 'except' | 'suppress' }>,
  fail: Fail,
  condition: (when: ExprNode | undefined) => ExprIR,
): { kind: 'except'; ir: ExceptionIR } | { kind: 'suppress'; ir: SuppressionIR } | undefined {
  const isException = statement.kind === 'except'
  const allowed = isException ? ['owner', 'reason', 'expires'] : ['owner', 'reason', 'from', 'to']
  const given = new Map<string, Located<string>>()
  for (const { word, value } of statement.fields) {
    if (!allowed.includes(word.value))
      fail(
        word.at,
        `${word.value} does not belong in ${isException ? 'an exception' : 'a suppression window'}`,
        isException
          ? 'an exception has owner, reason and expires (a window has from … to …)'
          : 'a window has owner, reason, from and to (an exception expires)',
      )
    else if (given.has(word.value)) fail(word.at, `${word.value} is given twice`)
    else given.set(word.value, value)
  }
  const name = statement.name.value
  if (name.trim() === '') fail(statement.name.at, 'give it a name that says what it is for')
  for (const word of allowed) {
    if (!given.has(word))
      fail(
        statement.name.at,
        `${isException ? 'exception' : 'suppression window'} ${JSON.stringify(name)} has no ${word}`,
        isException
          ? 'every exception says who owns it, why, and when it expires: owner "…" reason "…" expires 2027-03-31'
          : 'a window says who owns it, why, and when: owner "…" reason "…" from 2026-12-01T22:00 to 2026-12-02T06:00',
      )
  }
  for (const word of ['owner', 'reason']) {
    const text = given.get(word)
    if (text && text.value.trim() === '') fail(text.at, `${word} is empty`)
  }
  const time = (word: string, end: boolean): number => {
    const text = given.get(word)
    if (text === undefined) return 0
    const ms = policyTime(text.value, end)
    if (ms === undefined)
      fail(
        text.at,
        `${JSON.stringify(text.value)} is not a date`,
        'write 2027-03-31 or 2026-12-01T22:00 (JST unless Z or +hh:mm follows)',
      )
    return ms ?? 0
  }
  const owner = given.get('owner')?.value ?? ''
  const reason = given.get('reason')?.value ?? ''
  if (isException) {
    if (statement.when === undefined)
      fail(
        statement.at,
        `exception ${JSON.stringify(name)} has no condition and would hide every alert`,
        'say what it covers: when class == "recon.scan" and src.ip in cidr("10.9.0.0/24")',
      )
    const expires = time('expires', true)
    return {
      kind: 'except',
      ir: {
        name,
        owner,
        reason,
        expires,
        expiresText: given.get('expires')?.value ?? '',
        when: condition(statement.when),
      },
    }
  }
  const from = time('from', false)
  const to = time('to', true)
  if (given.has('from') && given.has('to') && from >= to)
    fail(given.get('to')?.at ?? statement.at, 'the window ends before it starts')
  return {
    kind: 'suppress',
    ir: {
      name,
      owner,
      reason,
      from,
      to,
      fromText: given.get('from')?.value ?? '',
      toText: given.get('to')?.value ?? '',
      when: condition(statement.when),
    },
  }
}

/** `severity >= high`: a bare level beside `severity` is the level, not a field. */
function severityWords(node: ExprNode, fail: Fail): ExprNode {
  switch (node.type) {
    case 'and':
    case 'or':
      return {
        ...node,
        left: severityWords(node.left, fail),
        right: severityWords(node.right, fail),
      }
    case 'not':
      return { ...node, arg: severityWords(node.arg, fail) }
    case 'paren':
      return { ...node, expr: severityWords(node.expr, fail) }
    case 'compare': {
      const isSeverity = (o: OperandNode) => o.type === 'field' && o.path === 'severity'
      const level = (o: OperandNode): OperandNode => {
        const word = o.type === 'field' ? o.path : o.type === 'literal' ? String(o.value) : ''
        if (!(SEVERITIES as readonly string[]).includes(word))
          fail(o.at, `${word || 'this'} is not a severity`, `one of ${SEVERITIES.join(', ')}`)
        return { type: 'literal', value: word, kind: 'word', at: o.at }
      }
      if (isSeverity(node.left) && !isSeverity(node.right))
        return { ...node, right: level(node.right) }
      if (isSeverity(node.right) && !isSeverity(node.left))
        return { ...node, left: level(node.left) }
      return node
    }
    default:
      return node
  }
}

const rankOf = (value: ValueIR): number | undefined =>
  'lit' in value && typeof value.lit === 'string'
    ? (SEVERITIES as readonly string[]).indexOf(value.lit)
    : undefined
const isSeverityRef = (value: ValueIR) => 'ref' in value && value.ref === 'severity'
const RANK: ValueIR = { fn: 'severity_rank', args: [{ ref: 'severity' }] }

/** Severity comparisons compare levels in order (info < low < … < critical), not spellings. */
function rankSeverity(expr: ExprIR): ExprIR {
  switch (expr.op) {
    case 'and':
    case 'or':
      return { ...expr, args: expr.args.map(rankSeverity) }
    case 'not':
      return { ...expr, arg: rankSeverity(expr.arg) }
    case 'cmp': {
      const right = rankOf(expr.right)
      if (isSeverityRef(expr.left) && right !== undefined && right >= 0)
        return { ...expr, left: RANK, right: { lit: right } }
      const left = rankOf(expr.left)
      if (isSeverityRef(expr.right) && left !== undefined && left >= 0)
        return { ...expr, left: { lit: left }, right: RANK }
      return expr
    }
    default:
      return expr
  }
}

/** What a policy test can expect, and the kind of value each takes. */
export const POLICY_EXPECTATIONS: Record<string, 'count' | 'severity' | 'channels' | 'name'> = {
  stored: 'count',
  suppressed: 'count',
  digests: 'count',
  folded: 'count',
  expired: 'count',
  severity: 'severity',
  route: 'channels',
  exception: 'name',
  window: 'name',
}

function checkTestExpectations(test: PolicyTestNode, fail: Fail) {
  if (test.expect.length === 0)
    fail(test.name.at, 'the test expects nothing', 'add e.g. expect stored 1 route [immediate]')
  const seen = new Set<string>()
  for (const { name, value } of test.expect) {
    const kind = POLICY_EXPECTATIONS[name.value]
    if (kind === undefined) {
      fail(
        name.at,
        `unknown expectation ${name.value}`,
        `one of ${Object.keys(POLICY_EXPECTATIONS).join(', ')}`,
      )
      continue
    }
    if (seen.has(name.value)) fail(name.at, `${name.value} is expected twice`)
    seen.add(name.value)
    const ok =
      kind === 'count'
        ? value.type === 'literal' &&
          value.kind === 'number' &&
          Number.isInteger(value.value) &&
          Number(value.value) >= 0
        : kind === 'severity'
          ? value.type === 'literal' &&
            (SEVERITIES as readonly string[]).includes(String(value.value))
          : kind === 'channels'
            ? value.type === 'list'
            : value.type === 'literal' && value.kind === 'string'
    if (!ok)
      fail(
        value.at,
        `${name.value} takes ${kind === 'count' ? 'a whole number' : kind === 'severity' ? 'a severity' : kind === 'channels' ? 'a list of channels, e.g. [immediate]' : 'a "name"'}`,
      )
  }
  for (const fixture of test.given)
    if (fixture.kind.value !== 'alert')
      fail(
        fixture.kind.at,
        'a policy test is given alerts',
        'write given alert { rule "SB-C2-0002" class "malware.c2" severity high }',
      )
}
