/**
 * Every UI string of the portal, in English and Japanese. The type forces both languages for
 * each key; `messages.test.ts` also checks that none is empty. Japanese wording follows the
 * vocabulary in shared/design/service-terms.md.
 */
import type { Locale } from '../db/schema.ts'

type Entry = Record<Locale, string>

export const messages = {
  'app.name': { en: 'socbox', ja: 'socbox' },
  'app.tagline': { en: 'Network threat detection', ja: 'ネットワーク脅威検知' },
  'nav.dashboard': { en: 'Dashboard', ja: 'ダッシュボード' },
  'dashboard.open': { en: 'Open alerts by severity', ja: '未対応のアラート（重要度別）' },
  'dashboard.week': {
    en: 'Alerts of the last 7 days by threat class',
    ja: '過去7日間のアラート（脅威分類別）',
  },
  'alerts.filter.status': { en: 'Status', ja: 'ステータス' },
  'status.open': { en: 'Open (new or acknowledged)', ja: '未対応（新規・確認済み）' },
  'nav.alerts': { en: 'Alerts', ja: 'アラート' },
  'nav.devices': { en: 'Devices', ja: 'デバイス稼働状況' },
  'nav.settings': { en: 'Settings', ja: '設定' },
  'settings.title': { en: 'Monitoring settings', ja: '監視設定' },
  'settings.intro': {
    en: 'Thresholds for the device and contract alerts of this customer’s sensors. The defaults follow the service terms: 1 Gbit/s sustained for 5 minutes and 1,000 endpoints per sensor.',
    ja: 'このお客様のセンサーに関するデバイス・契約アラートのしきい値です。既定値はサービス利用条件（センサーあたり 1Gbps・5分継続、端末 1,000 台）に従います。',
  },
  'settings.customer': { en: 'Customer', ja: 'お客様' },
  'settings.save': { en: 'Save settings', ja: '設定を保存' },
  'settings.saved': { en: 'The settings were saved.', ja: '設定を保存しました。' },
  'settings.invalid': {
    en: 'Some values are not valid; nothing was saved. See the notes beside the fields.',
    ja: '正しくない値があるため保存していません。各項目の説明をご確認ください。',
  },
  'settings.readonly': {
    en: 'Your role can read these settings; a customer admin or the sales partner can change them.',
    ja: 'ご利用のロールでは閲覧のみ可能です。変更はお客様の管理者または販売パートナーが行えます。',
  },
  'settings.empty': { en: 'No customers to show.', ja: '表示するお客様はありません。' },
  'site.title': { en: 'Site variables', ja: 'サイト変数' },
  'site.intro': {
    en: 'What differs from one site to the next, used by the detection rules and the alert policy (e.g. which hosts are domain controllers). Lists take one entry per line. A value equal to the default follows the default if it changes.',
    ja: '拠点ごとに異なる情報で、検知ルールとアラートポリシーが使用します（例: どのホストがドメインコントローラーか）。一覧は1行に1件ずつ入力します。既定値と同じ値は、既定値が変わればそれに従います。',
  },
  'site.save': { en: 'Save site variables', ja: 'サイト変数を保存' },
  'site.saved': {
    en: 'The site variables were saved; the sensors use them from their next batch.',
    ja: 'サイト変数を保存しました。センサーの次のデータから適用されます。',
  },
  'site.col.variable': { en: 'Variable', ja: '変数' },
  'site.col.value': { en: 'Value for this customer', ja: 'このお客様の値' },
  'site.default': { en: 'Default', ja: '既定値' },
  'site.none': { en: '(none)', ja: '（なし）' },
  'site.own': { en: 'set for this customer', ja: 'このお客様用に設定済み' },
  'site.usesDefault': { en: 'uses the default', ja: '既定値を使用' },
  'site.yes': { en: 'yes', ja: 'はい' },
  'site.no': { en: 'no', ja: 'いいえ' },
  'site.updated': { en: 'Last changed', ja: '最終更新' },
  'site.usedBy': { en: 'Used by', ja: '使用しているルール・ポリシー' },
  'site.unused': {
    en: 'no rule or policy of the current pack',
    ja: '現在のパックでは未使用',
  },
  'site.pack': { en: 'Rule pack', ja: 'ルールパック' },
  'site.undeclared': {
    en: 'Stored values for variables the current rule pack no longer declares (ignored; removed at the next save):',
    ja: '現在のルールパックで宣言されていない変数の保存値（使用されません。次回の保存で削除されます）:',
  },
  'sensors.title': { en: 'Device operating status', ja: 'デバイス稼働状況' },
  'sensors.empty': { en: 'No sensors are registered.', ja: '登録されたセンサーはありません。' },
  'sensors.never': { en: 'never', ja: '未接続' },
  'sensors.outdated': { en: 'update available', ja: '要アップデート' },
  'sensors.status.pending': { en: 'Not yet connected', ja: '未接続' },
  'sensors.status.online': { en: 'Online', ja: '稼働中' },
  'sensors.status.offline': { en: 'Offline', ja: '停止' },
  'col.lastSeen': { en: 'Last contact', ja: '最終通信' },
  'col.agent': { en: 'Agent', ja: 'エージェント' },
  'col.traffic': { en: 'Traffic', ja: '通信量' },
  'col.endpoints': { en: 'Endpoints (30 days)', ja: '監視端末数（30日）' },
  'nav.logout': { en: 'Sign out', ja: 'ログアウト' },
  'nav.language': { en: '日本語', ja: 'English' },
  'nav.signedInAs': { en: 'Signed in as', ja: 'ログイン中:' },
  'login.title': { en: 'Sign in', ja: 'ログイン' },
  'login.email': { en: 'Email', ja: 'メールアドレス' },
  'login.password': { en: 'Password', ja: 'パスワード' },
  'login.submit': { en: 'Sign in', ja: 'ログイン' },
  'login.failed': {
    en: 'The email or password is not correct.',
    ja: 'メールアドレスまたはパスワードが正しくありません。',
  },
  'login.throttled': {
    en: 'Too many failed sign-ins. Try again in 15 minutes.',
    ja: 'ログインの失敗が多すぎます。15分後にもう一度お試しください。',
  },
  'alerts.title': { en: 'Analysed alerts', ja: '分析アラート' },
  'alerts.empty': { en: 'No alerts match.', ja: '該当するアラートはありません。' },
  'alerts.older': { en: 'Older alerts', ja: 'さらに古いアラート' },
  'alerts.filter.severity': { en: 'Severity', ja: '重要度' },
  'alerts.filter.all': { en: 'All', ja: 'すべて' },
  'alerts.filter.apply': { en: 'Filter', ja: '絞り込み' },
  'col.time': { en: 'Time', ja: '日時' },
  'col.severity': { en: 'Severity', ja: '重要度' },
  'col.class': { en: 'Threat class', ja: '脅威分類' },
  'col.title': { en: 'Alert', ja: 'アラート' },
  'col.source': { en: 'Source', ja: '送信元' },
  'col.destination': { en: 'Destination', ja: '宛先' },
  'col.status': { en: 'Status', ja: 'ステータス' },
  'col.customer': { en: 'Customer', ja: '利用者' },
  'col.sensor': { en: 'Sensor', ja: 'センサー' },
  'alert.explain': { en: 'Threat information', ja: '脅威情報' },
  'alert.actions': { en: 'Recommended countermeasures', ja: '対策推奨事項' },
  'alert.attack': { en: 'ATT&CK techniques', ja: 'ATT&CK 手法' },
  'alert.evidence': { en: 'Evidence', ja: '根拠となる通信' },
  'alert.rule': { en: 'Rule', ja: 'ルール' },
  'alert.flow': { en: 'Flow', ja: 'フロー' },
  'alert.back': { en: 'Back to alerts', ja: 'アラート一覧に戻る' },
  'alert.notFound': { en: 'Alert not found.', ja: 'アラートが見つかりません。' },
  'alert.markAck': { en: 'Mark as acknowledged', ja: '確認済みにする' },
  'alert.markClosed': { en: 'Close', ja: 'クローズする' },
  'alert.reopen': { en: 'Reopen', ja: '再オープン' },
  'time.note': {
    en: 'Times are in JST (Asia/Tokyo).',
    ja: '時刻は日本時間（JST）で表示しています。',
  },
  'severity.info': { en: 'Info', ja: '情報' },
  'severity.low': { en: 'Low', ja: '低' },
  'severity.medium': { en: 'Medium', ja: '中' },
  'severity.high': { en: 'High', ja: '高' },
  'severity.critical': { en: 'Critical', ja: '緊急' },
  'status.new': { en: 'New', ja: '新規' },
  'status.ack': { en: 'Acknowledged', ja: '確認済み' },
  'status.closed': { en: 'Closed', ja: 'クローズ' },
  'class.recon.scan': { en: 'Reconnaissance', ja: '偵察通信' },
  'class.site.redirector': { en: 'Redirector site', ja: '不正サイトアクセス（リダイレクタ）' },
  'class.site.compromised': { en: 'Compromised site', ja: '不正サイトアクセス（改ざんサイト）' },
  'class.site.malvertising': { en: 'Malvertising site', ja: '不正サイトアクセス（不正広告）' },
  'class.site.exploit': { en: 'Exploit landing page', ja: '不正サイトアクセス（脆弱性攻撃）' },
  'class.site.fingerprint': {
    en: 'Browser fingerprinting site',
    ja: '不正サイトアクセス（ブラウザ情報の探索）',
  },
  'class.download.malware': {
    en: 'Malware download',
    ja: '不正なファイルのダウンロード（マルウェア）',
  },
  'class.download.exploit-kit': {
    en: 'Exploit kit download',
    ja: '不正なファイルのダウンロード（エクスプロイトキット）',
  },
  'class.malware.c2': { en: 'C&C traffic', ja: 'C&C通信' },
  'class.malware.ransomware': { en: 'Ransomware traffic', ja: 'ランサムウェアの通信' },
  'class.malware.lateral': { en: 'Lateral movement', ja: '感染拡大（横展開）' },
  'class.suspicious.tor': { en: 'Tor use', ja: '不審な通信（Tor）' },
  'class.device.offline': { en: 'Sensor offline', ja: 'センサー停止' },
  'class.device.drops': { en: 'Sensor packet drops', ja: 'センサーのパケット取りこぼし' },
  'class.contract.bandwidth': { en: 'Bandwidth over contract', ja: '契約帯域の超過' },
  'class.contract.endpoints': { en: 'Endpoints over contract', ja: '契約端末数の超過' },
  'error.forbidden': { en: 'You may not do this.', ja: 'この操作は許可されていません。' },
} as const satisfies Record<string, Entry>

export type MessageKey = keyof typeof messages

export function t(locale: Locale, key: MessageKey): string {
  return messages[key][locale]
}

/** Label of an alert class; classes without a catalog entry show their id. */
export function classLabel(locale: Locale, alertClass: string): string {
  const key = `class.${alertClass}`
  return key in messages ? messages[key as MessageKey][locale] : alertClass
}
