// Feeds name a malware family or listing reason ("TorrentLocker C&C", "Adware", "Pikabot");
// socbox needs a class. A family-specific class wins (service-terms.md): ransomware families are
// malware.ransomware; adware is context (info.adware); everything else a feed lists as malware
// infrastructure is C&C.

/** Ransomware families whose names do not say "ransom" (lowercase, no separators). */
export const RANSOMWARE_FAMILIES: ReadonlySet<string> = new Set([
  'akira',
  'avoslocker',
  'babuk',
  'badblock',
  'blackbasta',
  'blackcat',
  'alphv',
  'blackmatter',
  'cerber',
  'clop',
  'conti',
  'crilock',
  'cryptolocker',
  'cryptowall',
  'cryptxxx',
  'ctblocker',
  'cuba',
  'darkside',
  'dharma',
  'egregor',
  'gandcrab',
  'lockbit',
  'locky',
  'maze',
  'medusalocker',
  'mountlocker',
  'netwalker',
  'padcrypt',
  'petya',
  'qilin',
  'qlocker',
  'rhysida',
  'ryuk',
  'sodinokibi',
  'revil',
  'suncrypt',
  'synolocker',
  'teslacrypt',
  'torrentlocker',
  'troldesh',
  'wannacry',
  'wastedlocker',
  'zcrypt',
  'ransomexx',
  'ransomhub',
  'ransomhouse',
])

export function isRansomwareName(name: string): boolean {
  const key = name.toLowerCase()
  if (key.includes('ransom')) return true
  const words = key.split(/[^a-z0-9]+/).filter((w) => w !== '')
  const joined = words.join('')
  return words.some((w) => RANSOMWARE_FAMILIES.has(w)) || RANSOMWARE_FAMILIES.has(joined)
}

export function classOfMalwareLabel(label: string): string {
  if (isRansomwareName(label)) return 'malware.ransomware'
  if (/^adware\b/i.test(label.trim())) return 'info.adware'
  return 'malware.c2'
}
