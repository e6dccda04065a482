import type { IToken } from 'chevrotain'
import type { Span } from './ast.ts'

export function spanOf(token: IToken): Span {
  return {
    offset: token.startOffset,
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    length: (token.endOffset ?? token.startOffset) - token.startOffset + 1,
  }
}

/** From the start of `first` to the end of `last`. */
export function spanFrom(first: Span, last: Span): Span {
  return { ...first, length: Math.max(first.length, last.offset + last.length - first.offset) }
}
