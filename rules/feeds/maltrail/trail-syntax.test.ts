import { describe, expect, it } from 'vitest'
import { parseTrail } from './trail-syntax.ts'

describe('parseTrail', () => {
  it.each([
    ['evil.example', { ioc: 'domain', raw: 'evil.example' }],
    ['1.2.3.4', { ioc: 'ip', raw: '1.2.3.4' }],
    ['1.2.3.4:8443', { ioc: 'ip', raw: '1.2.3.4', port: 8443 }],
    ['[dead::beef]:443', { ioc: 'ip', raw: 'dead::beef', port: 443 }],
    ['dead::beef', { ioc: 'ip', raw: 'dead::beef' }],
    ['10.0.0.0/8', { ioc: 'ip', raw: '10.0.0.0/8' }],
    ['http://x.example/a', { ioc: 'url', raw: 'http://x.example/a' }],
    ['x.example/a', { ioc: 'url', raw: 'x.example/a' }],
    ['/w00tw00t.at.ISC.SANS.DFind:)', { ioc: 'url', raw: '/w00tw00t.at.ISC.SANS.DFind:)' }],
    ['dga[0-9]+\\.wildcard-test\\.com', { error: 'regular-expression trail (no literal to list)' }],
    ['1.2.3.4:0', { error: 'port 0 out of range' }],
    ['91.109.190.5:660666', { error: 'port 660666 out of range' }],
    ['hferry.co.kr/data/pop(I).mov', { ioc: 'url', raw: 'hferry.co.kr/data/pop(I).mov' }],
    ['/api/?access=0&accounts=[]&botid=', { ioc: 'url', raw: '/api/?access=0&accounts=[]&botid=' }],
    ['seek[0-9]+.example.com', { error: 'regular-expression trail (no literal to list)' }],
    ['(a|b).example.com', { error: 'regular-expression trail (no literal to list)' }],
    ['1.2.3.4:22:443', { error: 'address with more than one port' }],
    ['host.example:8080', { error: 'host with port (Maltrail matches ports only on addresses)' }],
  ])('%s', (trail, parsed) => {
    expect(parseTrail(trail)).toEqual(parsed)
  })
})
