// What translating one Suricata rule yields (shared by the translator and the rules-file importer).
import type { Ioc } from '../model/indicator.ts'
import type { ContentSignature } from './content-signature.ts'

export interface RuleFactsOut {
  sid: number
  rev: number
  msg: string
  class: string
  references: string[]
  attack: string[]
}

export interface TranslatedIndicator {
  ioc: Ioc
  value: string
  port?: number
}

/** Suricata flowbits of one rule (names as written; `|`/`&` expressions are refused). */
export interface FlowbitState {
  sets: string[]
  unset: string[]
  toggle: string[]
  isset: string[]
  isnotset: string[]
  noalert: boolean
}

export type Translation =
  | { kind: 'intel'; indicators: TranslatedIndicator[]; note?: string }
  | {
      kind: 'signature'
      signature: Omit<ContentSignature, 'id' | 'set' | 'licence'>
      note?: string
    }
  | { kind: 'untranslatable'; reason: string }

export interface TranslatedRule {
  facts: RuleFactsOut
  translation: Translation
  state: FlowbitState
}
