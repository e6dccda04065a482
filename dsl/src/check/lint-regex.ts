// JS regexes backtrack, and a Worker has a CPU budget per request: one catastrophic pattern
// would stall every event of a batch. Rules may only use patterns that cannot blow up
// exponentially: no quantified group that itself contains an unbounded quantifier
// ((a+)+, (a|b*)*), no backreferences, bounded length, and no stateful flags.

export const MAX_REGEX_LENGTH = 512
const ALLOWED_FLAGS = new Set(['i', 's', 'm', 'u'])

export type RegexProblem = { index: number; message: string; hint: string }

export function lintRegex(pattern: string, flags: string): RegexProblem | undefined {
  for (const [i, flag] of [...flags].entries()) {
    if (!ALLOWED_FLAGS.has(flag)) {
      return {
        index: pattern.length + 1 + i,
        message: `regex flag ${flag} is not allowed`,
        hint: 'use i, s, m or u (g and y make matches depend on the previous event)',
      }
    }
  }
  if (new Set(flags).size !== flags.length)
    return {
      index: pattern.length + 1,
      message: 'a regex flag is repeated',
      hint: 'write each flag once',
    }
  if (pattern.length > MAX_REGEX_LENGTH) {
    return {
      index: 0,
      message: `regex is longer than ${MAX_REGEX_LENGTH} characters`,
      hint: 'split it, or match a list of strings with in [..]',
    }
  }
  try {
    new RegExp(pattern, flags)
  } catch (error) {
    return {
      index: 0,
      message: `invalid regex: ${(error as Error).message}`,
      hint: 'check brackets and escapes',
    }
  }
  // Walk the pattern once, tracking for each open group whether it holds an unbounded quantifier.
  const groups: { start: number; unbounded: boolean }[] = []
  let unboundedSinceGroupStart = false
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') {
      const next = pattern[i + 1] ?? ''
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) {
        return {
          index: i + 1,
          message: 'backreferences are not allowed in rule regexes',
          hint: 'they force backtracking; match the parts separately',
        }
      }
      i++
      continue
    }
    if (inClass) {
      if (char === ']') inClass = false
      continue
    }
    if (char === '[') {
      inClass = true
      continue
    }
    if (char === '(') {
      groups.push({ start: i, unbounded: unboundedSinceGroupStart })
      unboundedSinceGroupStart = false
      continue
    }
    if (char === ')') {
      const group = groups.pop()
      const inner: boolean = unboundedSinceGroupStart
      const quantifier = unboundedQuantifierAt(pattern, i + 1)
      if (inner && quantifier) {
        return {
          index: group?.start ?? 0,
          message:
            'nested quantifier: a repeated group that itself repeats can take exponential time',
          hint: 'rewrite (a+)+ as a+, or bound the inner repeat, e.g. (a{1,10})+',
        }
      }
      unboundedSinceGroupStart = (group?.unbounded ?? false) || inner || quantifier
      continue
    }
    if (unboundedQuantifierAt(pattern, i)) unboundedSinceGroupStart = true
  }
  return undefined
}

function unboundedQuantifierAt(pattern: string, i: number): boolean {
  const char = pattern[i]
  if (char === '*' || char === '+') return true
  if (char !== '{') return false
  return /^\{\d+,\}/.test(pattern.slice(i))
}
