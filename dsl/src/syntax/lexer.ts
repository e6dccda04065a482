import { Lexer } from 'chevrotain'
import { allTokens } from './tokens.ts'

/** The one lexer; ensureOptimizations makes a token pattern that defeats first-char lookup an error. */
export const lexer = new Lexer(allTokens, { ensureOptimizations: true, positionTracking: 'full' })
