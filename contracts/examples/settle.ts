// A customer's sensor was delivered on 2025-03-14 and passed its health check on 2025-03-19.
// On 2025-11-21 (JST), having paid three months of a JPY 600,000 year, the customer cancels.
import {
  coverageStartsOn,
  earlyCancellation,
  firstAnswerDue,
  formatDate,
  formatYen,
  jstDateOf,
  parseDate,
  termAccount,
  termAt,
} from '@socbox/contracts'

// Node's console, declared here so the package's type check keeps Node's globals out of src.
declare const console: { log(line: string): void }

const now = Date.parse('2025-11-21T10:00:00+09:00') // passed in, never read from the clock
const contract = { deliveredOn: parseDate('2025-03-14') }
const term = termAt(contract, jstDateOf(now))
if (!term) throw new Error('no term in force')

const bill = earlyCancellation(termAccount(term, 600_000, 150_000), jstDateOf(now))
console.log(`term ${term.index}: ${formatDate(term.firstDay)} … ${formatDate(term.lastDay)}`)
console.log(`non-renewal notice due by ${formatDate(term.nonRenewalDeadline)}`)
console.log(`penalty ${formatYen(bill.penalty)}, unpaid fees ${formatYen(bill.outstandingFee)}`)
console.log(`insured from ${formatDate(coverageStartsOn(parseDate('2025-03-19')))}`)
console.log(`an inquiry now is answered by ${formatDate(jstDateOf(firstAnswerDue(now)))} 17:00 JST`)
