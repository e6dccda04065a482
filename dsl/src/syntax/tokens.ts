// Tokens of the rule language, in match order. Section words (title, class, key, version…) are
// contextual: they belong to the Identifier category, so they still work as field names
// (`tls.version`, `http.status`). Only the expression words (and, or, not, in, matches, true,
// false) are reserved.
import { createToken, Lexer, type TokenType } from 'chevrotain'

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ })

const word = (name: string, reserved = false): TokenType =>
  createToken({
    name,
    pattern: new RegExp(`${name.toLowerCase()}\\b`),
    longer_alt: Identifier,
    ...(reserved ? {} : { categories: [Identifier] }),
  })

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
})
// Comments stay in their own group so the formatter can put them back.
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n]*/, group: 'comments' })

// `/pattern/flags` after `matches`; `//` is a comment and an IP prefix lexes first, so a slash
// that starts a token here can only open a regex.
// A `/` inside a character class does not end it: /[^/]+\.exe$/ reads as written.
export const RegexLiteral = createToken({
  name: 'RegexLiteral',
  pattern: /\/(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*/,
})
export const TripleString = createToken({
  name: 'TripleString',
  pattern: /"""[\s\S]*?"""/,
  line_breaks: true,
})
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/,
})

// Before Number: `10.0.0.0/8` and `60s` must not lex as numbers.
export const IpLiteral = createToken({
  name: 'IpLiteral',
  pattern: /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:\/\d{1,2})?(?![\w.])/,
})
// Dates (policy expiries and windows): 2027-03-31, 2026-12-01T09:00, …T09:00:30Z, …T09:00+09:00.
// Before Duration and Number, which would read the year alone.
export const DateLiteral = createToken({
  name: 'DateLiteral',
  pattern: /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:.])/,
})
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:ms|s|m|h|d)\b/ })
// `$home_nets`: a site variable, declared with a default in the pack, overridable per tenant.
export const SiteVariable = createToken({
  name: 'SiteVariable',
  pattern: /\$[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a site variable ($name)',
})
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?\d+(?:\.\d+)?\b/ })
// ATT&CK technique ids (T1090, T1090.003). The checker validates the exact form.
export const AttackId = createToken({
  name: 'AttackId',
  pattern: /T\d+(?:\.\d+)?\b/,
  longer_alt: Identifier,
})

export const LCurly = createToken({ name: 'LCurly', pattern: /{/, label: "'{'" })
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: "'}'" })
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" })
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" })
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" })
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" })
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" })
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" })

export const CompareOperator = createToken({
  name: 'CompareOperator',
  pattern: Lexer.NA,
  label: 'a comparison',
})
const op = (name: string, pattern: RegExp, label: string): TokenType =>
  createToken({ name, pattern, label, categories: [CompareOperator] })
export const EqualEqual = op('EqualEqual', /==/, "'=='")
export const NotEqual = op('NotEqual', /!=/, "'!='")
export const LessEqual = op('LessEqual', /<=/, "'<='")
export const GreaterEqual = op('GreaterEqual', />=/, "'>='")
export const Less = op('Less', /</, "'<'")
export const Greater = op('Greater', />/, "'>'")

export const And = word('And', true)
export const Or = word('Or', true)
export const Not = word('Not', true)
export const In = word('In', true)
export const Matches = word('Matches', true)
export const True = word('True', true)
export const False = word('False', true)

export const Detection = word('Detection')
export const Version = word('Version')
export const Title = word('Title')
export const Explain = word('Explain')
export const Actions = word('Actions')
export const Class = word('Class')
export const SeverityWord = word('Severity')
export const Status = word('Status')
export const Attack = word('Attack')
export const References = word('References')
export const On = word('On')
export const Where = word('Where')
export const Emit = word('Emit')
export const Key = word('Key')
export const Test = word('Test')
export const Given = word('Given')
export const Expect = word('Expect')
export const At = word('At')
export const Repeat = word('Repeat')
export const Every = word('Every')
export const Correlation = word('Correlation')
export const Group = word('Group')
export const By = word('By')
export const Window = word('Window')
export const Lateness = word('Lateness')
export const When = word('When')
export const Limits = word('Limits')
export const Sequence = word('Sequence')
export const Step = word('Step')
export const Absent = word('Absent')
export const Until = word('Until')
export const Within = word('Within')
export const Policy = word('Policy')
export const VariableWord = word('Variable')
export const Raise = word('Raise')
export const Lower = word('Lower')
export const SetWord = word('Set')
export const To = word('To')
export const Except = word('Except')
export const Owner = word('Owner')
export const Reason = word('Reason')
export const Expires = word('Expires')
export const Suppress = word('Suppress')
export const From = word('From')
export const Dedup = word('Dedup')
export const Rate = word('Rate')
export const Per = word('Per')
export const Route = word('Route')

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  RegexLiteral,
  TripleString,
  StringLiteral,
  IpLiteral,
  DateLiteral,
  Duration,
  NumberLiteral,
  SiteVariable,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Dot,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  CompareOperator,
  And,
  Or,
  Not,
  In,
  Matches,
  True,
  False,
  Detection,
  Version,
  Title,
  Explain,
  Actions,
  Class,
  SeverityWord,
  Status,
  Attack,
  References,
  On,
  Where,
  Emit,
  Key,
  Test,
  Given,
  Expect,
  At,
  Repeat,
  Every,
  Correlation,
  Group,
  By,
  Window,
  Lateness,
  When,
  Limits,
  Sequence,
  Step,
  Absent,
  Until,
  Within,
  Policy,
  VariableWord,
  Raise,
  Lower,
  SetWord,
  To,
  Except,
  Owner,
  Reason,
  Expires,
  Suppress,
  From,
  Dedup,
  Rate,
  Per,
  Route,
  AttackId,
  Identifier,
]
