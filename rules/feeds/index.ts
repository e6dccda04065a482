// Public API of rules/feeds: importers (pure functions over file text), normalisers, list
// merging and policies, feed health, and the pack build. See README.md.
export { parseFeodoIpBlocklist } from './abusech/feodo-ipblocklist.ts'
export { parseSslblCertificates } from './abusech/sslbl-certificates.ts'
export { parseSslblJa3 } from './abusech/sslbl-ja3.ts'
export { parseDisconnectServices } from './disconnect/disconnect-services.ts'
export type {
  ContentPattern,
  ContentRegex,
  ContentSignature,
  FieldSize,
} from './et-open/content-signature.ts'
export { classOfEtRule } from './et-open/rule-class.ts'
export { parseRule } from './et-open/rule-parse.ts'
export { translateRule } from './et-open/rule-translate.ts'
export {
  parseRulesFile,
  type RulesImportResult,
  type UntranslatedRule,
} from './et-open/rules-file.ts'
export { licenceOfEtSid } from './et-open/sid-licence.ts'
export {
  type FeedSchedule,
  type FeedStatus,
  feedHealth,
  type HealthFinding,
} from './health/feed-health.ts'
export { type AgreementPolicy, applyAgreement, buildCorroboration } from './lists/agreement.ts'
export { type Allowlist, applyAllowlist } from './lists/allowlist.ts'
export { carryForward, type PreviousList } from './lists/carry-forward.ts'
export {
  type IntelList,
  type ListEntry,
  listIdOf,
  mergeIndicators,
  sortedEntries,
} from './lists/intel-list.ts'
export { applySanity } from './lists/list-sanity.ts'
export { lookupDomain, lookupIp } from './lists/lookup.ts'
export { checkShrink, type ShrinkPolicy, type ShrinkRefusal } from './lists/shrink-guard.ts'
export { classifyTrailFile } from './maltrail/trail-classes.ts'
export { parseTrailFile } from './maltrail/trail-file.ts'
export { classOfTrailInfo } from './maltrail/trail-info-class.ts'
export { parseTrail } from './maltrail/trail-syntax.ts'
export { parseTrailsCsv } from './maltrail/trails-csv.ts'
export { isListClass, THREAT_CLASSES, type ThreatClass } from './model/classes.ts'
export { classOfMalwareLabel } from './model/family-class.ts'
export type {
  ImportResult,
  Indicator,
  Ioc,
  LineError,
  Origin,
  SourceText,
} from './model/indicator.ts'
export { normaliseDomain } from './normalise/domain.ts'
export { normaliseHash, normaliseJa3, normaliseJa4 } from './normalise/hash.ts'
export { normaliseIndicator } from './normalise/indicator.ts'
export { networkContains, normaliseIp } from './normalise/ip.ts'
export { normaliseUrl } from './normalise/url.ts'
export { buildPack, type ListFile, type PackBuild, type PackPolicy } from './pipeline/build-pack.ts'
export { dataTimeOfText, parseTimeFile } from './pipeline/data-time.ts'
export { type FeedManifest, validateManifest } from './pipeline/feed-manifest.ts'
export { loadFeed } from './pipeline/load-feed.ts'
export { parseLineList } from './plain/line-list.ts'
export { parseStixBundle } from './stix/stix-bundle.ts'
export { parseStixPattern } from './stix/stix-pattern.ts'
