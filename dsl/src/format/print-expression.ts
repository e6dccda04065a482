// Expressions and values back to source text. Parentheses the author wrote are kept (they say
// what was meant); none are added, because the tree already encodes precedence as written.
import type { ExprNode, LiteralNode, OperandNode } from '../syntax/ast.ts'
import { formatDuration } from '../syntax/duration.ts'
import { unquote } from '../syntax/literals.ts'

export function printExpression(node: ExprNode): string {
  switch (node.type) {
    case 'or':
    case 'and':
      return `${printExpression(node.left)} ${node.type} ${printExpression(node.right)}`
    case 'not':
      return `not ${printExpression(node.arg)}`
    case 'paren':
      return `(${printExpression(node.expr)})`
    case 'compare':
      return `${printOperand(node.left)} ${node.op} ${printOperand(node.right)}`
    case 'in': {
      const set =
        node.set.type === 'list'
          ? printList(node.set.items)
          : node.set.type === 'variable'
            ? `$${node.set.name}`
            : printOperand(node.set)
      return `${printOperand(node.value)} ${node.negated ? 'not in' : 'in'} ${set}`
    }
    case 'matches':
      return `${printOperand(node.value)} matches /${node.pattern}/${node.flags}`
    case 'test':
      return printOperand(node.operand)
  }
}

/** The operands of a chain of the same operator, for breaking a long condition over lines. */
export function chainOf(node: ExprNode): { op: 'and' | 'or'; parts: ExprNode[] } | undefined {
  if (node.type !== 'and' && node.type !== 'or') return undefined
  const parts: ExprNode[] = []
  const walk = (n: ExprNode) => {
    if (n.type === node.type) {
      walk(n.left)
      walk(n.right)
    } else parts.push(n)
  }
  walk(node)
  return { op: node.type, parts }
}

export function printOperand(node: OperandNode): string {
  if (node.type === 'field') return node.path
  if (node.type === 'variable') return `$${node.name}`
  if (node.type === 'call') return `${node.name}(${node.args.map(printOperand).join(', ')})`
  return printLiteral(node)
}

export function printList(items: LiteralNode[]): string {
  return `[${items.map(printLiteral).join(', ')}]`
}

export function printLiteral(node: LiteralNode): string {
  switch (node.kind) {
    case 'string':
      return printString(String(node.value))
    case 'word':
    case 'ip':
      return String(node.value)
    case 'duration':
      return formatDuration(Number(node.value))
    default:
      return String(node.value)
  }
}

/** A "string", or a """block""" for multi-line text when that reads back to the same value. */
export function printString(value: string, indent = ''): string {
  if (value.includes('\n') && !value.includes('"""')) {
    const inner = `${indent}  `
    const block = `"""\n${value
      .split('\n')
      .map((line) => (line ? inner + line : ''))
      .join('\n')}\n${inner}"""`
    if (unquote(block) === value) return block
  }
  return JSON.stringify(value)
}
