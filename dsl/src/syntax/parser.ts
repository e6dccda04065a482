// One Chevrotain parser instance (construction analyses the grammar, which is slow) that builds
// the syntax tree directly with embedded actions. Work that must not run while Chevrotain
// records the grammar is wrapped in ACTION().
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain'
import type {
  CallNode,
  DetectionNode,
  EventFixture,
  ExprNode,
  FieldRef,
  FileNode,
  InSetNode,
  ListLiteral,
  LiteralNode,
  Located,
  OperandNode,
  PolicyNode,
  PolicyStatement,
  PolicyTestNode,
  RuleNode,
  Section,
  Span,
  StepNode,
  TestNode,
  TextListNode,
  TextNode,
  VariableNode,
  VariableRef,
} from './ast.ts'
import { durationMs } from './duration.ts'
import { unquote } from './literals.ts'
import { spanFrom, spanOf } from './span.ts'
import * as t from './tokens.ts'

const located = <T>(value: T, token: IToken): Located<T> => ({ value, at: spanOf(token) })

class RuleParser extends EmbeddedActionsParser {
  constructor() {
    super(t.allTokens, { maxLookahead: 3 })
    this.performSelfAnalysis()
  }

  file = this.RULE('file', (): FileNode => {
    const rules: RuleNode[] = []
    const policies: PolicyNode[] = []
    const variables: VariableNode[] = []
    const items: FileNode['items'] = []
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const rule = this.SUBRULE(this.detection)
            this.ACTION(() => {
              rules.push(rule)
              items.push(rule)
            })
          },
        },
        {
          ALT: () => {
            const policy = this.SUBRULE(this.policy)
            this.ACTION(() => {
              policies.push(policy)
              items.push(policy)
            })
          },
        },
        {
          ALT: () => {
            const variable = this.SUBRULE(this.variable)
            this.ACTION(() => {
              variables.push(variable)
              items.push(variable)
            })
          },
        },
      ])
    })
    return { rules, policies, variables, items, comments: [] }
  })

  // variable $home_nets cidrs [10.0.0.0/8, "fc00::/7"] { en "…" ja "…" }
  variable = this.RULE('variable', (): VariableNode => {
    const word = this.CONSUME(t.VariableWord)
    const name = this.CONSUME(t.SiteVariable)
    const valueType = this.CONSUME(t.Identifier)
    const value = this.OR([
      { ALT: () => this.SUBRULE(this.literalList) },
      { ALT: () => this.SUBRULE(this.literal) },
    ])
    let text: TextNode | undefined
    this.OPTION(() => {
      text = this.SUBRULE(this.text)
    })
    return this.ACTION(() => ({
      type: 'variable' as const,
      name: located(name.image.slice(1), name),
      valueType: located(valueType.image, valueType),
      value,
      text,
      at: spanFrom(spanOf(word), text?.at ?? value.at),
    }))
  })

  policy = this.RULE('policy', (): PolicyNode => {
    const start = this.CONSUME(t.Policy)
    const id = this.CONSUME(t.StringLiteral)
    this.CONSUME(t.Version)
    const version = this.CONSUME(t.NumberLiteral)
    this.CONSUME(t.LCurly)
    const statements: PolicyStatement[] = []
    this.MANY(() => {
      statements.push(this.SUBRULE(this.policyStatement))
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({
      type: 'policy' as const,
      id: located(unquote(id.image), id),
      version: located(Number(version.image), version),
      statements,
      at: spanFrom(spanOf(start), spanOf(end)),
    }))
  })

  policyStatement = this.RULE('policyStatement', (): PolicyStatement => {
    return this.OR([
      {
        ALT: () => {
          const section = this.SUBRULE(this.textSection)
          return this.ACTION(() => {
            const text = section as Extract<Section, { name: 'title' | 'explain' }>
            return { kind: text.name, at: text.at, text: text.text }
          })
        },
      },
      { ALT: () => this.SUBRULE(this.severityStatement) },
      { ALT: () => this.SUBRULE(this.exceptStatement) },
      { ALT: () => this.SUBRULE(this.dedupStatement) },
      { ALT: () => this.SUBRULE(this.rateStatement) },
      { ALT: () => this.SUBRULE(this.routeStatement) },
      {
        ALT: () => {
          const section = this.SUBRULE(this.limitsSection)
          return this.ACTION(() => {
            const limits = section as Extract<Section, { name: 'limits' }>
            return { kind: 'limits' as const, at: limits.at, entries: limits.entries }
          })
        },
      },
      { ALT: () => this.SUBRULE(this.policyTest) },
    ])
  })

  // raise severity to high when …  |  lower severity by 1 when …  |  set severity to low when …
  severityStatement = this.RULE('severityStatement', (): PolicyStatement => {
    const word = this.OR([
      { ALT: () => this.CONSUME(t.Raise) },
      { ALT: () => this.CONSUME(t.Lower) },
      { ALT: () => this.CONSUME(t.SetWord) },
    ])
    this.CONSUME(t.SeverityWord)
    let to: Located<string> | undefined
    let by: Located<number> | undefined
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(t.To)
          const level = this.CONSUME(t.Identifier)
          this.ACTION(() => {
            to = located(level.image, level)
          })
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.By)
          const steps = this.CONSUME(t.NumberLiteral)
          this.ACTION(() => {
            by = located(Number(steps.image), steps)
          })
        },
      },
    ])
    const when = this.SUBRULE(this.whenClause)
    return this.ACTION(() => ({
      kind: 'severity' as const,
      at: spanOf(word),
      direction: word.image as 'raise' | 'lower' | 'set',
      to,
      by,
      when,
    }))
  })

  // except "name" owner "…" reason "…" expires 2027-03-31 when …
  // suppress "name" owner "…" reason "…" from 2026-12-01T00:00 to 2026-12-02T00:00 when …
  exceptStatement = this.RULE('exceptStatement', (): PolicyStatement => {
    const word = this.OR([
      { ALT: () => this.CONSUME(t.Except) },
      { ALT: () => this.CONSUME(t.Suppress) },
    ])
    const name = this.CONSUME(t.StringLiteral)
    const fields: { word: Located<string>; value: Located<string> }[] = []
    this.MANY(() => {
      const key = this.OR2([
        { ALT: () => this.CONSUME(t.Owner) },
        { ALT: () => this.CONSUME(t.Reason) },
        { ALT: () => this.CONSUME(t.Expires) },
        { ALT: () => this.CONSUME(t.From) },
        { ALT: () => this.CONSUME(t.To) },
      ])
      const value = this.OR3([
        { ALT: () => this.CONSUME2(t.StringLiteral) },
        { ALT: () => this.CONSUME(t.DateLiteral) },
      ])
      this.ACTION(() =>
        fields.push({
          word: located(key.image, key),
          value: located(
            value.tokenType === t.StringLiteral ? unquote(value.image) : value.image,
            value,
          ),
        }),
      )
    })
    const when = this.SUBRULE(this.whenClause)
    return this.ACTION(() => ({
      kind: word.image as 'except' | 'suppress',
      at: spanOf(word),
      name: located(unquote(name.image), name),
      fields,
      when,
    }))
  })

  // dedup 1h [by src.ip, …] [when …]
  dedupStatement = this.RULE('dedupStatement', (): PolicyStatement => {
    const word = this.CONSUME(t.Dedup)
    const window = this.CONSUME(t.Duration)
    const by = this.SUBRULE(this.byClause)
    const when = this.SUBRULE(this.whenClause)
    return this.ACTION(() => ({
      kind: 'dedup' as const,
      at: spanOf(word),
      window: located(durationMs(window.image), window),
      by,
      when,
    }))
  })

  // rate 50 per 1h [by class] [when …]
  rateStatement = this.RULE('rateStatement', (): PolicyStatement => {
    const word = this.CONSUME(t.Rate)
    const max = this.CONSUME(t.NumberLiteral)
    this.CONSUME(t.Per)
    const per = this.CONSUME(t.Duration)
    const by = this.SUBRULE(this.byClause)
    const when = this.SUBRULE(this.whenClause)
    return this.ACTION(() => ({
      kind: 'rate' as const,
      at: spanOf(word),
      max: located(Number(max.image), max),
      per: located(durationMs(per.image), per),
      by,
      when,
    }))
  })

  // route immediate, operations [when …]
  routeStatement = this.RULE('routeStatement', (): PolicyStatement => {
    const word = this.CONSUME(t.Route)
    const channels: Located<string>[] = []
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        const channel = this.OR([
          { ALT: () => this.CONSUME(t.Identifier) },
          { ALT: () => this.CONSUME(t.StringLiteral) },
        ])
        this.ACTION(() =>
          channels.push(
            located(
              channel.tokenType === t.StringLiteral ? unquote(channel.image) : channel.image,
              channel,
            ),
          ),
        )
      },
    })
    const when = this.SUBRULE(this.whenClause)
    return this.ACTION(() => ({ kind: 'route' as const, at: spanOf(word), channels, when }))
  })

  byClause = this.RULE('byClause', (): OperandNode[] | undefined => {
    let by: OperandNode[] | undefined
    this.OPTION(() => {
      this.CONSUME(t.By)
      by = []
      this.AT_LEAST_ONE_SEP({
        SEP: t.Comma,
        DEF: () => {
          const operand = this.SUBRULE(this.pathOrCall)
          this.ACTION(() => by?.push(operand))
        },
      })
    })
    return by
  })

  whenClause = this.RULE('whenClause', (): ExprNode | undefined => {
    let when: ExprNode | undefined
    this.OPTION(() => {
      this.CONSUME(t.When)
      when = this.SUBRULE(this.orExpr)
    })
    return when
  })

  // test "name" { at 0s given alert { … } … expect stored 1 severity high route [immediate] }
  policyTest = this.RULE('policyTest', (): PolicyStatement => {
    const word = this.CONSUME(t.Test)
    const name = this.CONSUME(t.StringLiteral)
    this.CONSUME(t.LCurly)
    const given: EventFixture[] = []
    this.MANY(() => {
      given.push(this.SUBRULE(this.givenEvent))
    })
    const expect: PolicyTestNode['expect'] = []
    this.OPTION(() => {
      this.CONSUME(t.Expect)
      this.AT_LEAST_ONE(() => {
        const what = this.CONSUME(t.Identifier)
        const value = this.OR([
          { ALT: () => this.SUBRULE(this.literal) },
          { ALT: () => this.SUBRULE(this.literalList) },
          {
            ALT: () => {
              const bare = this.CONSUME2(t.Identifier)
              return this.ACTION(() => ({
                type: 'literal' as const,
                value: bare.image,
                kind: 'word' as const,
                at: spanOf(bare),
              }))
            },
          },
        ])
        this.ACTION(() => expect.push({ name: located(what.image, what), value }))
      })
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({
      kind: 'test' as const,
      at: spanOf(word),
      test: {
        name: located(unquote(name.image), name),
        given,
        expect,
        at: spanFrom(spanOf(word), spanOf(end)),
      },
    }))
  })

  detection = this.RULE('detection', (): DetectionNode => {
    const start = this.OR([
      { ALT: () => this.CONSUME(t.Detection) },
      { ALT: () => this.CONSUME(t.Correlation) },
      { ALT: () => this.CONSUME(t.Sequence) },
    ])
    const id = this.CONSUME(t.StringLiteral)
    this.CONSUME(t.Version)
    const version = this.CONSUME(t.NumberLiteral)
    this.CONSUME(t.LCurly)
    const sections: Section[] = []
    this.MANY(() => {
      sections.push(this.SUBRULE(this.section))
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({
      type: start.image as 'detection' | 'correlation' | 'sequence',
      id: located(unquote(id.image), id),
      version: located(Number(version.image), version),
      sections,
      at: spanFrom(spanOf(start), spanOf(end)),
    }))
  })

  section = this.RULE('section', (): Section => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.textSection) },
      { ALT: () => this.SUBRULE(this.actionsSection) },
      { ALT: () => this.SUBRULE(this.wordSection) },
      { ALT: () => this.SUBRULE(this.attackSection) },
      { ALT: () => this.SUBRULE(this.referencesSection) },
      { ALT: () => this.SUBRULE(this.onSection) },
      { ALT: () => this.SUBRULE(this.emitSection) },
      { ALT: () => this.SUBRULE(this.testSection) },
      { ALT: () => this.SUBRULE(this.groupSection) },
      { ALT: () => this.SUBRULE(this.windowSection) },
      { ALT: () => this.SUBRULE(this.latenessSection) },
      { ALT: () => this.SUBRULE(this.whenSection) },
      { ALT: () => this.SUBRULE(this.limitsSection) },
      { ALT: () => this.SUBRULE(this.withinSection) },
      { ALT: () => this.SUBRULE(this.stepSection) },
    ])
  })

  withinSection = this.RULE('withinSection', (): Section => {
    const word = this.CONSUME(t.Within)
    const length = this.CONSUME(t.Duration)
    return this.ACTION(() => ({
      name: 'within' as const,
      at: spanOf(word),
      length: located(durationMs(length.image), length),
    }))
  })

  // step LABEL on KIND [where …] by a, b  |  absent LABEL on …  |  until on …
  stepSection = this.RULE('stepSection', (): Section => {
    let label: IToken | undefined
    const word = this.OR([
      {
        ALT: () => {
          const w = this.OR2([
            { ALT: () => this.CONSUME(t.Step) },
            { ALT: () => this.CONSUME(t.Absent) },
          ])
          label = this.CONSUME(t.Identifier)
          return w
        },
      },
      { ALT: () => this.CONSUME(t.Until) },
    ])
    this.CONSUME(t.On)
    const kind = this.CONSUME2(t.Identifier)
    let where: ExprNode | undefined
    this.OPTION(() => {
      this.CONSUME(t.Where)
      where = this.SUBRULE(this.orExpr)
    })
    const by: OperandNode[] = []
    this.OPTION2(() => {
      this.CONSUME(t.By)
      this.AT_LEAST_ONE_SEP({
        SEP: t.Comma,
        DEF: () => {
          by.push(this.SUBRULE(this.pathOrCall))
        },
      })
    })
    return this.ACTION(() => {
      const step: StepNode = {
        label: label ? located(label.image, label) : undefined,
        absent: word.tokenType === t.Absent,
        kind: located(kind.image, kind),
        where,
        by,
        at: spanOf(word),
      }
      return {
        name: word.tokenType === t.Until ? ('until' as const) : ('step' as const),
        at: spanOf(word),
        step,
      }
    })
  })

  groupSection = this.RULE('groupSection', (): Section => {
    const word = this.CONSUME(t.Group)
    this.CONSUME(t.By)
    const fields: OperandNode[] = []
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        fields.push(this.SUBRULE(this.pathOrCall))
      },
    })
    return this.ACTION(() => ({ name: 'group' as const, at: spanOf(word), fields }))
  })

  windowSection = this.RULE('windowSection', (): Section => {
    const word = this.CONSUME(t.Window)
    const kind = this.CONSUME(t.Identifier)
    const length = this.CONSUME(t.Duration)
    return this.ACTION(() => ({
      name: 'window' as const,
      at: spanOf(word),
      kind: located(kind.image, kind),
      length: located(durationMs(length.image), length),
    }))
  })

  latenessSection = this.RULE('latenessSection', (): Section => {
    const word = this.CONSUME(t.Lateness)
    const length = this.CONSUME(t.Duration)
    return this.ACTION(() => ({
      name: 'lateness' as const,
      at: spanOf(word),
      length: located(durationMs(length.image), length),
    }))
  })

  whenSection = this.RULE('whenSection', (): Section => {
    const word = this.CONSUME(t.When)
    const expr = this.SUBRULE(this.orExpr)
    return this.ACTION(() => ({ name: 'when' as const, at: spanOf(word), expr }))
  })

  limitsSection = this.RULE('limitsSection', (): Section => {
    const word = this.CONSUME(t.Limits)
    this.CONSUME(t.LCurly)
    const entries: { name: Located<string>; value: Located<number> }[] = []
    this.MANY(() => {
      const name = this.CONSUME(t.Identifier)
      const value = this.CONSUME(t.NumberLiteral)
      this.ACTION(() =>
        entries.push({
          name: located(name.image, name),
          value: located(Number(value.image), value),
        }),
      )
    })
    this.CONSUME(t.RCurly)
    return this.ACTION(() => ({ name: 'limits' as const, at: spanOf(word), entries }))
  })

  textSection = this.RULE('textSection', (): Section => {
    const word = this.OR([
      { ALT: () => this.CONSUME(t.Title) },
      { ALT: () => this.CONSUME(t.Explain) },
    ])
    const text = this.SUBRULE(this.text)
    return this.ACTION(() => ({ name: word.image as 'title' | 'explain', at: spanOf(word), text }))
  })

  text = this.RULE('text', (): TextNode => {
    const start = this.CONSUME(t.LCurly)
    const entries: TextNode['entries'] = []
    this.MANY(() => {
      const lang = this.CONSUME(t.Identifier)
      const text = this.SUBRULE(this.stringValue)
      this.ACTION(() => entries.push({ lang: located(lang.image, lang), text }))
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({ at: spanFrom(spanOf(start), spanOf(end)), entries }))
  })

  stringValue = this.RULE('stringValue', (): Located<string> => {
    const token = this.OR([
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.TripleString) },
    ])
    return this.ACTION(() => located(unquote(token.image), token))
  })

  actionsSection = this.RULE('actionsSection', (): Section => {
    const word = this.CONSUME(t.Actions)
    const start = this.CONSUME(t.LCurly)
    const entries: TextListNode['entries'] = []
    this.MANY(() => {
      const lang = this.CONSUME(t.Identifier)
      const items = this.SUBRULE(this.stringList)
      this.ACTION(() => entries.push({ lang: located(lang.image, lang), items }))
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({
      name: 'actions' as const,
      at: spanOf(word),
      list: { at: spanFrom(spanOf(start), spanOf(end)), entries },
    }))
  })

  stringList = this.RULE('stringList', (): Located<string>[] => {
    const items: Located<string>[] = []
    this.CONSUME(t.LBracket)
    this.MANY_SEP({
      SEP: t.Comma,
      DEF: () => {
        items.push(this.SUBRULE(this.stringValue))
      },
    })
    this.CONSUME(t.RBracket)
    return items
  })

  wordSection = this.RULE('wordSection', (): Section => {
    const word = this.OR([
      { ALT: () => this.CONSUME(t.Class) },
      { ALT: () => this.CONSUME(t.SeverityWord) },
      { ALT: () => this.CONSUME(t.Status) },
    ])
    const value = this.OR2([
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.Identifier) },
    ])
    return this.ACTION(() => ({
      name: word.image as 'class' | 'severity' | 'status',
      at: spanOf(word),
      word: located(
        value.tokenType === t.StringLiteral ? unquote(value.image) : value.image,
        value,
      ),
    }))
  })

  attackSection = this.RULE('attackSection', (): Section => {
    const word = this.CONSUME(t.Attack)
    const ids: Located<string>[] = []
    this.CONSUME(t.LBracket)
    this.MANY_SEP({
      SEP: t.Comma,
      DEF: () => {
        const id = this.OR([
          { ALT: () => this.CONSUME(t.AttackId) },
          { ALT: () => this.CONSUME(t.Identifier) },
          { ALT: () => this.CONSUME(t.StringLiteral) },
        ])
        this.ACTION(() =>
          ids.push(located(id.tokenType === t.StringLiteral ? unquote(id.image) : id.image, id)),
        )
      },
    })
    this.CONSUME(t.RBracket)
    return this.ACTION(() => ({ name: 'attack' as const, at: spanOf(word), ids }))
  })

  referencesSection = this.RULE('referencesSection', (): Section => {
    const word = this.CONSUME(t.References)
    const urls = this.SUBRULE(this.stringList)
    return this.ACTION(() => ({ name: 'references' as const, at: spanOf(word), urls }))
  })

  onSection = this.RULE('onSection', (): Section => {
    const word = this.CONSUME(t.On)
    const kind = this.CONSUME(t.Identifier)
    let where: ExprNode | undefined
    this.OPTION(() => {
      this.CONSUME(t.Where)
      where = this.SUBRULE(this.orExpr)
    })
    return this.ACTION(() => ({
      name: 'on' as const,
      at: spanOf(word),
      kind: located(kind.image, kind),
      where,
    }))
  })

  emitSection = this.RULE('emitSection', (): Section => {
    const word = this.CONSUME(t.Emit)
    this.CONSUME(t.Key)
    const key: OperandNode[] = []
    this.CONSUME(t.LBracket)
    this.MANY_SEP({
      SEP: t.Comma,
      DEF: () => {
        key.push(this.SUBRULE(this.pathOrCall))
      },
    })
    this.CONSUME(t.RBracket)
    return this.ACTION(() => ({ name: 'emit' as const, at: spanOf(word), key }))
  })

  testSection = this.RULE('testSection', (): Section => {
    const word = this.CONSUME(t.Test)
    const name = this.CONSUME(t.StringLiteral)
    this.CONSUME(t.LCurly)
    const given: EventFixture[] = []
    this.MANY(() => {
      given.push(this.SUBRULE(this.givenEvent))
    })
    let expected: Located<number> | undefined
    this.OPTION(() => {
      this.CONSUME(t.Expect)
      const count = this.CONSUME(t.NumberLiteral)
      this.ACTION(() => {
        expected = located(Number(count.image), count)
      })
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => {
      const test: TestNode = {
        name: located(unquote(name.image), name),
        given,
        expect: expected,
        at: spanFrom(spanOf(word), spanOf(end)),
      }
      return { name: 'test' as const, at: spanOf(word), test }
    })
  })

  givenEvent = this.RULE('givenEvent', (): EventFixture => {
    let offset: Located<number> | undefined
    let repeat: EventFixture['repeat']
    this.OPTION(() => {
      this.CONSUME(t.At)
      const when = this.CONSUME(t.Duration)
      this.ACTION(() => {
        offset = located(durationMs(when.image), when)
      })
    })
    this.OPTION2(() => {
      this.CONSUME(t.Repeat)
      const count = this.CONSUME(t.NumberLiteral)
      let every: Located<number> | undefined
      this.OPTION3(() => {
        this.CONSUME(t.Every)
        const gap = this.CONSUME2(t.Duration)
        this.ACTION(() => {
          every = located(durationMs(gap.image), gap)
        })
      })
      this.ACTION(() => {
        repeat = { count: located(Number(count.image), count), every }
      })
    })
    const word = this.CONSUME(t.Given)
    const kind = this.CONSUME(t.Identifier)
    this.CONSUME(t.LCurly)
    const fields: EventFixture['fields'] = []
    this.MANY(() => {
      const path = this.SUBRULE(this.fieldPath)
      const value = this.OR([
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.SUBRULE(this.literalList) },
        {
          // A bare word is a string: `severity high`, `state REJ`.
          ALT: () => {
            const bare = this.CONSUME2(t.Identifier)
            return this.ACTION(() => ({
              type: 'literal' as const,
              value: bare.image,
              kind: 'word' as const,
              at: spanOf(bare),
            }))
          },
        },
      ])
      this.ACTION(() => fields.push({ path: { value: path.path, at: path.at }, value }))
    })
    const end = this.CONSUME(t.RCurly)
    return this.ACTION(() => ({
      kind: located(kind.image, kind),
      fields,
      offset,
      repeat,
      at: spanFrom(offset?.at ?? repeat?.count.at ?? spanOf(word), spanOf(end)),
    }))
  })

  // Precedence, loosest first: or, and, not, then a comparison or a parenthesised expression.
  orExpr = this.RULE('orExpr', (): ExprNode => {
    let left = this.SUBRULE(this.andExpr)
    this.MANY(() => {
      this.CONSUME(t.Or)
      const right = this.SUBRULE2(this.andExpr)
      left = this.ACTION(() => ({
        type: 'or' as const,
        left,
        right,
        at: spanFrom(left.at, right.at),
      }))
    })
    return left
  })

  andExpr = this.RULE('andExpr', (): ExprNode => {
    let left = this.SUBRULE(this.notExpr)
    this.MANY(() => {
      this.CONSUME(t.And)
      const right = this.SUBRULE2(this.notExpr)
      left = this.ACTION(() => ({
        type: 'and' as const,
        left,
        right,
        at: spanFrom(left.at, right.at),
      }))
    })
    return left
  })

  notExpr = this.RULE('notExpr', (): ExprNode => {
    return this.OR([
      {
        ALT: () => {
          const word = this.CONSUME(t.Not)
          const arg = this.SUBRULE(this.notExpr)
          return this.ACTION(() => ({
            type: 'not' as const,
            arg,
            at: spanFrom(spanOf(word), arg.at),
          }))
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ])
  })

  primary = this.RULE('primary', (): ExprNode => {
    return this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(t.LParen)
          const expr = this.SUBRULE(this.orExpr)
          const close = this.CONSUME(t.RParen)
          return this.ACTION(() => ({
            type: 'paren' as const,
            expr,
            at: spanFrom(spanOf(open), spanOf(close)),
          }))
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ])
  })

  comparison = this.RULE('comparison', (): ExprNode => {
    const left = this.SUBRULE(this.operand)
    let node: ExprNode | undefined
    this.OPTION(() => {
      node = this.OR([
        {
          ALT: () => {
            const op = this.CONSUME(t.CompareOperator)
            const right = this.SUBRULE2(this.operand)
            return this.ACTION(() => ({
              type: 'compare' as const,
              op: op.image,
              left,
              right,
              at: spanFrom(left.at, right.at),
            }))
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Matches)
            const regex = this.CONSUME(t.RegexLiteral)
            return this.ACTION(() => {
              const close = regex.image.lastIndexOf('/')
              return {
                type: 'matches' as const,
                value: left,
                pattern: regex.image.slice(1, close),
                flags: regex.image.slice(close + 1),
                patternAt: spanOf(regex),
                at: spanFrom(left.at, spanOf(regex)),
              }
            })
          },
        },
        {
          ALT: () => {
            let negated = false
            this.OPTION2(() => {
              this.CONSUME(t.Not)
              negated = true
            })
            this.CONSUME(t.In)
            const set = this.SUBRULE(this.inSet)
            return this.ACTION(() => ({
              type: 'in' as const,
              negated,
              value: left,
              set,
              at: spanFrom(left.at, set.at),
            }))
          },
        },
      ])
    })
    return this.ACTION(() => node ?? { type: 'test' as const, operand: left, at: left.at })
  })

  inSet = this.RULE('inSet', (): InSetNode => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.literalList) },
      { ALT: () => this.SUBRULE(this.variableRef) },
      {
        ALT: () => {
          const call = this.SUBRULE(this.pathOrCall)
          return this.ACTION(() => {
            if (call.type === 'call') return call
            // A bare name after `in` is a list the author forgot to bracket or call.
            return { type: 'call' as const, name: call.path, args: [], at: call.at }
          })
        },
      },
    ])
  })

  literalList = this.RULE('literalList', (): ListLiteral => {
    const open = this.CONSUME(t.LBracket)
    const items: LiteralNode[] = []
    this.MANY_SEP({
      SEP: t.Comma,
      DEF: () => {
        items.push(
          this.OR([
            { ALT: () => this.SUBRULE(this.literal) },
            {
              ALT: () => {
                const word = this.CONSUME(t.Identifier)
                return this.ACTION(() => ({
                  type: 'literal' as const,
                  value: word.image,
                  kind: 'word' as const,
                  at: spanOf(word),
                }))
              },
            },
          ]),
        )
      },
    })
    const close = this.CONSUME(t.RBracket)
    return this.ACTION(() => ({
      type: 'list' as const,
      items,
      at: spanFrom(spanOf(open), spanOf(close)),
    }))
  })

  operand = this.RULE('operand', (): OperandNode => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.pathOrCall) },
      { ALT: () => this.SUBRULE(this.variableRef) },
      {
        // Only first_seen takes a duration; the checker says so anywhere else.
        ALT: () => {
          const token = this.CONSUME(t.Duration)
          return this.ACTION(() => ({
            type: 'literal' as const,
            value: durationMs(token.image),
            kind: 'duration' as const,
            at: spanOf(token),
          }))
        },
      },
    ])
  })

  variableRef = this.RULE('variableRef', (): VariableRef => {
    const token = this.CONSUME(t.SiteVariable)
    return this.ACTION(() => ({
      type: 'variable' as const,
      name: token.image.slice(1),
      at: spanOf(token),
    }))
  })

  pathOrCall = this.RULE('pathOrCall', (): FieldRef | CallNode => {
    const name = this.CONSUME(t.Identifier)
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(t.LParen)
          const args: OperandNode[] = []
          this.MANY_SEP({
            SEP: t.Comma,
            DEF: () => {
              args.push(this.SUBRULE(this.operand))
            },
          })
          const close = this.CONSUME(t.RParen)
          return this.ACTION(() => ({
            type: 'call' as const,
            name: name.image,
            args,
            at: spanFrom(spanOf(name), spanOf(close)),
          }))
        },
      },
      { ALT: () => this.SUBRULE(this.pathTail, { ARGS: [name] }) },
    ])
  })

  fieldPath = this.RULE('fieldPath', (): FieldRef => {
    const name = this.CONSUME(t.Identifier)
    return this.SUBRULE(this.pathTail, { ARGS: [name] })
  })

  pathTail = this.RULE('pathTail', (head: IToken): FieldRef => {
    let last = head
    const names: string[] = []
    this.MANY(() => {
      this.CONSUME(t.Dot)
      last = this.CONSUME(t.Identifier)
      this.ACTION(() => names.push(last.image))
    })
    return this.ACTION(() => ({
      type: 'field' as const,
      path: [head.image, ...names].join('.'),
      at: spanFrom(spanOf(head), spanOf(last)),
    }))
  })

  literal = this.RULE('literal', (): LiteralNode => {
    const token = this.OR([
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.IpLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
    ])
    return this.ACTION(() => literalOf(token))
  })
}

function literalOf(token: IToken): LiteralNode {
  const at: Span = spanOf(token)
  const type: TokenType = token.tokenType
  if (type === t.StringLiteral)
    return { type: 'literal', value: unquote(token.image), kind: 'string', at }
  if (type === t.NumberLiteral)
    return { type: 'literal', value: Number(token.image), kind: 'number', at }
  if (type === t.IpLiteral) return { type: 'literal', value: token.image, kind: 'ip', at }
  return { type: 'literal', value: type === t.True, kind: 'bool', at }
}

/** The single parser instance; reset with `parser.input = tokens` before each parse. */
export const parser = new RuleParser()
