/**
 * Checks a tenant's site variable values as they come from the portal form (text: one value per
 * line, or separated by commas) or the API (JSON: arrays, numbers, booleans, or the same text)
 * against the types the rule pack declares. Each problem comes back per variable in English and
 * Japanese, saying which value (and which entry of a list) is wrong and how to write it.
 * Values equal to the declared default are not kept as overrides, so a later change of the
 * default reaches the tenant. The runtime's own check (checkSiteSettings) runs last as a guard,
 * so what is saved is exactly what the rules will accept.
 */
import { checkSiteSettings, type VariableIR } from '@socbox/dsl/runtime'

type Text = { en: string; ja: string }
type Literal = string | number | boolean
export type SiteValue = Literal | Literal[]
export type SiteErrors = Record<string, Text>
export type SiteValidated =
  | { ok: true; overrides: Record<string, SiteValue> }
  | { ok: false; errors: SiteErrors }

/** Per list; the runtime's own limit is higher, but a longer list belongs in an intel list. */
export const MAX_SITE_LIST = 2000
const MAX_STRING = 253

/** What each type accepts, in the user's words, with an example. */
export const TYPE_TEXT: Record<VariableIR['type'], Text> = {
  cidrs: {
    en: 'IP addresses or networks, one per line (e.g. 10.0.0.5 or 10.0.0.0/24)',
    ja: 'IPアドレスまたはネットワーク（1行に1つ。例: 10.0.0.5、10.0.0.0/24）',
  },
  strings: { en: 'text values, one per line', ja: '文字列（1行に1つ）' },
  numbers: { en: 'numbers, one per line', ja: '数値（1行に1つ）' },
  ports: {
    en: 'port numbers 0–65535, one per line (e.g. 3389)',
    ja: 'ポート番号 0～65535（1行に1つ。例: 3389）',
  },
  domains: {
    en: 'DNS names, one per line; each covers the names under it (e.g. corp.example)',
    ja: 'DNS名（1行に1つ。配下の名前も含みます。例: corp.example）',
  },
  string: { en: 'one text value', ja: '文字列（1つ）' },
  number: { en: 'one number', ja: '数値（1つ）' },
  bool: { en: 'yes or no', ja: 'はい／いいえ' },
}

const isList = (type: VariableIR['type']) =>
  type === 'cidrs' ||
  type === 'strings' ||
  type === 'numbers' ||
  type === 'ports' ||
  type === 'domains'

/** A value as the form shows it: lists one entry per line. */
export function siteValueText(value: SiteValue): string {
  if (Array.isArray(value)) return value.map(String).join('\n')
  return String(value)
}

function sameValue(a: SiteValue, b: SiteValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Splits form text into entries: lines and commas; blank entries and spaces around dropped. */
function entriesOf(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw.map((v) => (typeof v === 'string' ? v.trim() : v))
  if (typeof raw !== 'string') return undefined
  return raw
    .split(/[\n\r,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined
  if (typeof raw !== 'string') return undefined
  const text = raw.trim().replace(/,/g, '')
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined
}

type Checked = { value: SiteValue } | { error: Text }

function quote(v: unknown): { en: string; ja: string } {
  const text = typeof v === 'string' ? v : JSON.stringify(v)
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text
  return { en: `“${short}”`, ja: `「${short}」` }
}

/** One entry of a list (or the single value), checked by the runtime's own rules for the type. */
function checkEntry(variable: VariableIR, raw: unknown, position: number | undefined): Checked {
  const where =
    position === undefined
      ? { en: '', ja: '' }
      : { en: ` (line ${position})`, ja: `（${position}行目）` }
  const q = quote(raw)
  let value: Literal | undefined
  switch (variable.type) {
    case 'cidrs':
    case 'strings':
    case 'string':
      if (typeof raw === 'string' && raw !== '' && raw.length <= MAX_STRING) value = raw
      break
    case 'domains':
      if (typeof raw === 'string' && raw !== '') value = raw.toLowerCase()
      break
    case 'numbers':
    case 'number':
    case 'ports':
      value = parseNumber(raw)
      break
    case 'bool':
      if (raw === true || raw === 'true' || raw === 'yes' || raw === 'on') value = true
      else if (raw === false || raw === 'false' || raw === 'no' || raw === 'off') value = false
      break
  }
  const list = isList(variable.type)
  const probe = value === undefined ? undefined : list ? [value] : value
  const usable =
    probe !== undefined &&
    checkSiteSettings([variable], { [variable.name]: probe }).problems.length === 0
  if (usable && value !== undefined) return { value }
  return { error: entryError(variable, q, where) }
}

type Where = { en: string; ja: string }

/** What is wrong with one entry and how to write it, by the variable's type. */
function entryError(variable: VariableIR, q: Where, where: Where): Text {
  const label = `$${variable.name}`
  switch (variable.type) {
    case 'cidrs':
      return {
        en: `${label}${where.en}: ${q.en} is not an IP address or network. Write an address such as 10.0.0.5 or a network such as 10.0.0.0/24 (IPv6 too, e.g. fd00::/8).`,
        ja: `${label}${where.ja}：${q.ja}はIPアドレスでもネットワークでもありません。10.0.0.5 のようなアドレス、または 10.0.0.0/24 のようなネットワークで入力してください（IPv6 も可。例: fd00::/8）。`,
      }
    case 'ports':
      return {
        en: `${label}${where.en}: ${q.en} is not a port number. Enter a whole number from 0 to 65535 (e.g. 3389), one per line.`,
        ja: `${label}${where.ja}：${q.ja}はポート番号ではありません。0～65535 の整数で入力してください（例: 3389。1行に1つ）。`,
      }
    case 'domains':
      return {
        en: `${label}${where.en}: ${q.en} is not a DNS name. Write a name such as corp.example (letters, digits, hyphens and dots; no spaces, no http://).`,
        ja: `${label}${where.ja}：${q.ja}はDNS名ではありません。corp.example のような名前で入力してください（英数字・ハイフン・ドットのみ。空白や http:// は不可）。`,
      }
    case 'numbers':
    case 'number':
      return {
        en: `${label}${where.en}: ${q.en} is not a number. Enter digits only (e.g. 20).`,
        ja: `${label}${where.ja}：${q.ja}は数値ではありません。数字で入力してください（例: 20）。`,
      }
    case 'bool':
      return {
        en: `${label}: ${q.en} is neither yes nor no. Choose yes or no (true/false in the API).`,
        ja: `${label}：${q.ja}は「はい」「いいえ」のどちらでもありません。どちらかを選んでください（API では true/false）。`,
      }
    case 'strings':
    case 'string':
      return {
        en: `${label}${where.en}: ${q.en} is not usable text. Enter 1–${MAX_STRING} characters.`,
        ja: `${label}${where.ja}：${q.ja}は使用できない文字列です。1～${MAX_STRING}文字で入力してください。`,
      }
  }
}

function checkValue(variable: VariableIR, raw: unknown): Checked {
  const label = `$${variable.name}`
  if (!isList(variable.type)) {
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      return {
        error: {
          en: `${label} needs a value: ${TYPE_TEXT[variable.type].en}.`,
          ja: `${label}の値を入力してください：${TYPE_TEXT[variable.type].ja}。`,
        },
      }
    }
    return checkEntry(variable, typeof raw === 'string' ? raw.trim() : raw, undefined)
  }
  const entries = entriesOf(raw)
  if (entries === undefined) {
    return {
      error: {
        en: `${label} is a list: send ${TYPE_TEXT[variable.type].en}, as a JSON array or as text.`,
        ja: `${label}は一覧です：${TYPE_TEXT[variable.type].ja}を JSON 配列またはテキストで指定してください。`,
      },
    }
  }
  if (entries.length > MAX_SITE_LIST) {
    return {
      error: {
        en: `${label} has ${entries.length} entries; at most ${MAX_SITE_LIST} are allowed. Summarise addresses as networks (e.g. 10.1.0.0/16), or use a customer indicator list for long lists.`,
        ja: `${label}は${entries.length}件あります。上限は${MAX_SITE_LIST}件です。アドレスはネットワーク（例: 10.1.0.0/16）にまとめるか、長い一覧はお客様のインジケーターリストをご利用ください。`,
      },
    }
  }
  const values: Literal[] = []
  for (const [i, entry] of entries.entries()) {
    const checked = checkEntry(variable, entry, i + 1)
    if ('error' in checked) return checked
    if (!values.includes(checked.value as Literal)) values.push(checked.value as Literal)
  }
  return { value: values }
}

/**
 * `input`: every variable the caller sets, by name (with or without `$`). A variable left out
 * (or `null` through the API) keeps its default. Names the pack does not declare are errors.
 */
export function validateSiteSettings(
  variables: readonly VariableIR[],
  input: Record<string, unknown>,
): SiteValidated {
  const errors: SiteErrors = {}
  const overrides: Record<string, SiteValue> = {}
  const declared = new Map(variables.map((v) => [v.name, v]))
  for (const [key, raw] of Object.entries(input)) {
    const name = key.startsWith('$') ? key.slice(1) : key
    const variable = declared.get(name)
    if (variable === undefined) {
      errors[name] = {
        en: `$${name} is not a site variable of the current rule pack; the declared ones are ${[...declared.keys()].map((n) => `$${n}`).join(', ')}.`,
        ja: `$${name}は現在のルールパックのサイト変数ではありません。宣言されているのは ${[...declared.keys()].map((n) => `$${n}`).join('、')} です。`,
      }
      continue
    }
    if (raw === null) continue
    const checked = checkValue(variable, raw)
    if ('error' in checked) errors[name] = checked.error
    else if (!sameValue(checked.value, variable.default)) overrides[name] = checked.value
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  // The runtime's check over the whole set: a guard that what is saved will be used.
  const guard = checkSiteSettings(variables, overrides)
  for (const problem of guard.problems) {
    errors[problem.variable] = {
      en: `$${problem.variable}: ${problem.message}.`,
      ja: `$${problem.variable}：ルールで使用できない値です（${problem.message}）。`,
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, overrides }
}
