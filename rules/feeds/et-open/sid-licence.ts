// ET Open's LICENSE file: sids 2000000–2799999 are BSD (3-clause text in BSD-License.txt), sids
// 1–3464 and 100000000–100000908 are GPLv2. Anything else in the folder is a third party's rule
// under no stated licence (e.g. malicious_ips.rules, all sid 1001000) and must not be shipped.
export function licenceOfEtSid(sid: number): string | undefined {
  if (sid >= 2000000 && sid <= 2799999) return 'BSD-3-Clause'
  if ((sid >= 1 && sid <= 3464) || (sid >= 100000000 && sid <= 100000908)) return 'GPL-2.0-only'
  return undefined
}
