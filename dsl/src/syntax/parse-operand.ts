// One operand on its own (a field, a call, a literal): what a `{hole}` in alert text holds.
import type { OperandNode } from './ast.ts'
import { lexer } from './lexer.ts'
import { parser } from './parser.ts'

export function parseOperand(text: string): OperandNode | undefined {
  const lexed = lexer.tokenize(text)
  if (lexed.errors.length > 0 || lexed.tokens.length === 0) return undefined
  parser.input = lexed.tokens
  const node = parser.operand()
  const last = lexed.tokens.at(-1)
  // The rule may stop early (`a b`): only an operand that spans every token counts.
  if (
    parser.errors.length > 0 ||
    last === undefined ||
    node.at.offset + node.at.length !== (last.endOffset ?? 0) + 1
  ) {
    return undefined
  }
  return node
}
