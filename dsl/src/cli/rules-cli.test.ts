import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import type { CliIo } from './cli-io.ts'
import { main } from './rules.ts'

// CPU-bound (properties, captures, whole rule folders): room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

const repo = fileURLToPath(new URL('../../../', import.meta.url))

function run(argv: string[], cwd: string) {
  let out = ''
  let err = ''
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t) }
  const code = main(argv, io, cwd)
  return { code, out, err }
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-rules-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const good = `detection "SB-T-0001" version 1 {
  title { en "x" }
  class "info.x"
  severity low

  on dns where query in intel("demo.list")

  test "fires" { given dns { query "a.bad.example" } expect 1 }
  test "quiet" { given dns { query "good.example" } expect 0 }
}
`
const intel = {
  'intel/demo.list.json': JSON.stringify({
    id: 'demo.list',
    ioc: 'domain',
    file: 'demo.txt',
    source: 'test',
    licence: 'CC0',
  }),
  'intel/demo.txt': '# demo\nbad.example\n',
}

describe('socbox rules check', () => {
  it('passes the shipped rules', () => {
    const { code, out, err } = run(['check', 'rules'], repo)
    expect(err).toBe('')
    expect(out).toMatch(/^\d+ file\(s\), \d+ rule\(s\)(, \d+ polic(y|ies))? ok\n$/)
    expect(code).toBe(0)
  })

  it('reports every error with file:line:column, excerpt, caret and hint, and exits 1', () => {
    const dir = tree({
      'a.soc':
        'detection "SB-T-0001" version 1 {\n  title { en "x" }\n  class "info.x"\n  severity low\n  on dns where qeury == "a"\n}\n',
      'b.soc': 'detection "SB-T-0002" version 1 {\n  on dns where query = "a"\n}\n',
    })
    const { code, out, err } = run(['check', '.'], dir)
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toContain(
      'a.soc:5:16: dns events have no field qeury\n  5 |   on dns where qeury == "a"\n    |                ^^^^^\n  hint: did you mean query?\n',
    )
    expect(err).toContain(
      'b.soc:2:22: unexpected character "="\n  2 |   on dns where query = "a"\n    |                      ^\n  hint: comparisons are written == and !=',
    )
    expect(err).toMatch(/\n2 problem\(s\); 2 file\(s\), 0 rule\(s\) ok\n$/)
    expect(err).not.toMatch(/\bat .*\.ts:\d+/)
  })

  it('prints diagnostics as JSON lines with --json', () => {
    const dir = tree({
      'a.soc': 'detection "SB-T-0001" version 1 {\n  on dns where qeury == "a"\n}\n',
    })
    const { code, out } = run(['check', 'a.soc', '--json'], dir)
    expect(code).toBe(1)
    const lines = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines[0]).toMatchObject({
      file: 'a.soc',
      line: 1,
      column: 11,
      message: 'rule SB-T-0001 has no class',
    })
    expect(lines.map((d) => d.message)).toContain('dns events have no field qeury')
  })

  it('checks a single file on its own against the nearest intel folder', () => {
    const dir = tree({ ...intel, 'sub/r.soc': good.replace('demo.list', 'demo.nope') })
    const { code, err } = run(['check', 'sub/r.soc'], dir)
    expect(code).toBe(1)
    expect(err).toContain('sub/r.soc:6:31: unknown intel list "demo.nope"')
  })

  it('says what is wrong without a stack trace when PATH does not exist', () => {
    const { code, err } = run(['check', 'nowhere'], repo)
    expect(code).toBe(1)
    expect(err).toBe('socbox rules check: nowhere: no such file or folder\n')
  })

  it('prints usage for a missing PATH and an unknown command', () => {
    expect(run(['check'], repo).code).toBe(2)
    expect(run(['nope'], repo).err).toMatch(/unknown command 'nope'/)
  })
})

describe('socbox rules test', () => {
  it('runs the tests inside rule files', () => {
    const dir = tree({ ...intel, 'r.soc': good })
    const { code, out } = run(['test', '.'], dir)
    expect(out).toBe(
      'ok    SB-T-0001  fires\nok    SB-T-0001  quiet\n2 passed, 0 failed, 1 rule(s)\n',
    )
    expect(code).toBe(0)
  })

  it('fails with the place and reason of a failing test', () => {
    const dir = tree({ ...intel, 'r.soc': good.replace('good.example', 'x.bad.example') })
    const { code, out } = run(['test', 'r.soc'], dir)
    expect(out).toContain('FAIL  SB-T-0001  quiet\n      r.soc:9:3: expected 0 alert(s), got 1\n')
    expect(code).toBe(1)
  })

  it('passes the shipped rules', () => {
    const { code, out } = run(['test', 'rules'], repo)
    expect(out).toMatch(/ 0 failed/)
    expect(code).toBe(0)
  })
})

const policy = `variable $lab cidrs [10.9.0.0/24]

policy "default" version 1 {
  except "lab" owner "netops@example.jp" reason "lab resolver" expires 2026-12-31 when src.ip in $lab
  route immediate when severity >= high
  test "high goes out" { given alert { severity high } expect stored 1 route [immediate] }
  test "the lab is excepted" { given alert { src.ip 10.9.0.5 } expect stored 0 exception "lab" }
}
`

describe('socbox rules with policies', () => {
  it('checks a policy file, with errors at file:line:column and expired exceptions as notices', () => {
    const dir = tree({ 'policies/p.soc': policy })
    expect(run(['check', '.', '--now', '2026-12-01'], dir)).toMatchObject({
      code: 0,
      out: '1 file(s), 0 rule(s), 1 policy ok (no intel folder found: list ids not checked)\n',
      err: '',
    })
    const late = run(['check', '.', '--now', '2027-01-01'], dir)
    expect(late.code).toBe(0)
    expect(late.err).toBe(
      'policies/p.soc:4:3: notice: exception "lab" (owner netops@example.jp) expired at the end of 2026-12-31 and no longer applies: renew it with a new date or remove it\n',
    )
    const broken = tree({ 'p.soc': policy.replace('severity >= high', 'severity >= hihg') })
    const { code, err } = run(['check', 'p.soc'], broken)
    expect(code).toBe(1)
    expect(err).toContain(
      'p.soc:5:36: hihg is not a severity\n  5 |   route immediate when severity >= hihg\n    |                                    ^^^^\n  hint: one of info, low, medium, high, critical\n',
    )
  })

  it('runs the tests of policies beside those of rules', () => {
    const dir = tree({ ...intel, 'r.soc': good, 'policies/p.soc': policy })
    const { code, out } = run(['test', '.'], dir)
    expect(out).toBe(
      'ok    SB-T-0001  fires\nok    SB-T-0001  quiet\nok    policy default  high goes out\nok    policy default  the lab is excepted\n4 passed, 0 failed, 1 rule(s), 1 policy\n',
    )
    expect(code).toBe(0)
    const failing = tree({ 'p.soc': policy.replace('route [immediate] }', 'route [digest] }') })
    expect(run(['test', '.'], failing).out).toContain(
      'FAIL  policy default  high goes out\n      p.soc:6:3: expected route ["digest"], got ["immediate"]\n',
    )
  })

  it('formats policy files in the one layout', () => {
    const dir = tree({ 'p.soc': policy.replace('  route immediate', '      route   immediate') })
    expect(run(['fmt', '.', '--check'], dir).code).toBe(1)
    expect(run(['fmt', '.'], dir).code).toBe(0)
    expect(run(['fmt', '.', '--check'], dir).code).toBe(0)
  })

  it('checks a rule file on its own against the site variables of its rules tree', () => {
    const rule = `detection "SB-T-0009" version 1 {
  title { en "x" }
  class "info.x"
  severity low
  on dns where src.ip in $lab
}
`
    const dir = tree({ ...intel, 'policies/p.soc': policy, 'dns/r.soc': rule })
    expect(run(['check', 'dns/r.soc'], dir)).toMatchObject({ code: 0, err: '' })
    const alone = tree({ 'r.soc': rule })
    expect(run(['check', 'r.soc'], alone).err).toContain('r.soc:5:26: unknown site variable $lab')
  })
})

describe('socbox rules fmt', () => {
  it('lists unformatted files with --check and formats them without', () => {
    const dir = tree({ 'r.soc': good.replace('  class "info.x"', '    class   "info.x"') })
    expect(run(['fmt', '.', '--check'], dir)).toMatchObject({
      code: 1,
      out: 'not formatted: r.soc\n1 file(s), 1 to format\n',
    })
    expect(run(['fmt', '.'], dir)).toMatchObject({
      code: 0,
      out: 'formatted r.soc\n1 file(s), 1 formatted\n',
    })
    expect(readFileSync(join(dir, 'r.soc'), 'utf8')).toBe(good)
    expect(run(['fmt', '.', '--check'], dir).code).toBe(0)
  })
})
