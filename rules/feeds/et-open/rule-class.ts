// ET names its category in the message (`ET MALWARE …`, `ET TOR …`) and adds a classtype and
// sometimes `malware_family`. Category first (it is ET's own judgement), then wording of the
// message for categories that mix kinds (CURRENT_EVENTS, EXPLOIT_KIT, WEB_CLIENT), then the
// classtype. Categories without a socbox threat class become info.* (never a threat alert alone).
import { classOfMalwareLabel } from '../model/family-class.ts'

export interface RuleFacts {
  msg: string
  classtype?: string
  malwareFamily?: string
}

const PAYLOAD =
  /payload|exploit (download|delivered)|\.(swf|jar|xap|exe)\b|flash exploit|silverlight|java exploit/i
const DOWNLOAD =
  /(payload|binary|executable|\bexe\b|\bdll\b|stage ?2|second stage).{0,40}(download|request|retriev|fetch|inbound|deliver)|download(er)? (request|of)/i

function byWording(msg: string): string | undefined {
  if (/ransom/i.test(msg)) return 'malware.ransomware'
  if (/\btds\b|traffic distribution|redirect/i.test(msg)) return 'site.redirector'
  if (/malvertis/i.test(msg)) return 'site.malvertising'
  if (/fingerprint(ing)? (script|site|page)|browser fingerprint/i.test(msg))
    return 'site.fingerprint'
  if (
    /fake ?(browser|update|chrome)|socgholish|clearfake|injected|compromised (site|website|wordpress)|skimmer|magecart/i.test(
      msg,
    )
  ) {
    return 'site.compromised'
  }
  if (/exploit kit|\bek\b|landing/i.test(msg)) return 'site.exploit'
  if (/phish|credential|scam/i.test(msg)) return 'info.phishing'
  return undefined
}

function byClasstype(classtype: string | undefined, category: string): string {
  switch (classtype) {
    case 'command-and-control':
    case 'trojan-activity':
      return 'malware.c2'
    case 'network-scan':
    case 'attempted-recon':
      return 'recon.scan'
    case 'exploit-kit':
      return 'site.exploit'
    default:
      return `info.${category.toLowerCase().replace(/_/g, '-')}`
  }
}

export function classOfEtRule(facts: RuleFacts): string {
  const { msg } = facts
  // abuse.ch rules ("SSLBL: … (Shylock C&C)", "Feodo Tracker: …") name the family in the message.
  if (/^(SSLBL|Feodo Tracker|ThreatFox|URLhaus)\b/.test(msg)) return classOfMalwareLabel(msg)
  // The category is an upper-case word followed by a space (`ET Threatview.io …` has none).
  const category = /^(?:ET|GPL|ETPRO) ([A-Z0-9_]+) /.exec(msg)?.[1] ?? 'UNKNOWN'
  switch (category) {
    case 'SCAN':
    case 'DSHIELD':
      return 'recon.scan'
    case 'TOR':
      return 'suspicious.tor'
    case 'EXPLOIT_KIT':
      return PAYLOAD.test(msg) ? 'download.exploit-kit' : 'site.exploit'
    case 'MALWARE':
    case 'MOBILE_MALWARE':
    case 'TROJAN':
    case 'CNC':
    case 'WORM': {
      if (DOWNLOAD.test(msg)) return 'download.malware'
      return classOfMalwareLabel(facts.malwareFamily ?? msg)
    }
    case 'CURRENT_EVENTS':
      return byWording(msg) ?? byClasstype(facts.classtype, category)
    case 'PHISHING':
      return 'info.phishing'
    case 'WEB_CLIENT':
      if (/exploit|cve[-_ ]\d|overflow|use.after.free|remote code/i.test(msg)) return 'site.exploit'
      return byWording(msg) ?? `info.web-client`
    case 'NETBIOS':
      // SMB/DCE-RPC exploitation and remote administration: lateral movement when internal.
      return 'malware.lateral'
    case 'JA3':
      return facts.classtype === 'command-and-control' ? 'malware.c2' : 'info.ja3'
    case 'COMPROMISED':
    case 'CINS':
    case 'DROP':
      return 'info.poor-reputation'
    case 'POLICY':
    case 'HUNTING':
    case 'INFO':
    case 'DNS':
    case 'COINMINER':
    case 'ATTACK_RESPONSE':
      return `info.${category.toLowerCase().replace(/_/g, '-')}`
    default:
      // Third-party feeds inside ET (Threatview) say "C2" in the message but use misc-attack.
      return /\b(c2|cnc|c&c)\b/i.test(msg) ? 'malware.c2' : byClasstype(facts.classtype, category)
  }
}
