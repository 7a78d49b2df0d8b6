import { describe, expect, it } from 'vitest'
import { exitCodeFor, fileIntegrity, fileTrust, worstIntegrity } from '../../../src/main/core/verify/aggregate'
import { checkDigestAlgorithm, checkPublicKey, loadValidationPolicy, parseValidationPolicy } from '../../../src/main/core/verify/policy'
import { resolveResourcesDir } from '../../../src/main/core/verify/resources'
import type { SignatureReport, ValidationReport } from '../../../src/shared/model/validation'

const policy = loadValidationPolicy(resolveResourcesDir())

describe('dated algorithm policy (resources/validation-policy.json)', () => {
  it('accepts SHA-1 before its end date and rejects it after', () => {
    expect(checkDigestAlgorithm(policy, 'SHA-1', new Date('2014-06-01')).accepted).toBe(true)
    const later = checkDigestAlgorithm(policy, 'SHA-1', new Date('2020-06-01'))
    expect(later.accepted).toBe(false)
    expect(later.reason).toMatch(/2016-01-01/)
    expect(checkDigestAlgorithm(policy, 'SHA-256', new Date('2090-01-01')).accepted).toBe(true)
  })

  it('rejects algorithms the policy does not list', () => {
    expect(checkDigestAlgorithm(policy, 'MD2', new Date('2000-01-01')).accepted).toBe(false)
    expect(checkPublicKey(policy, 'GOST', 256, new Date()).accepted).toBe(false)
  })

  it('rejects RSA below 2048 bits after its date, and too-short keys always', () => {
    expect(checkPublicKey(policy, 'RSA', 1024, new Date('2012-01-01')).accepted).toBe(true)
    expect(checkPublicKey(policy, 'RSA', 1024, new Date('2020-01-01')).accepted).toBe(false)
    expect(checkPublicKey(policy, 'RSA', 2048, new Date('2040-01-01')).accepted).toBe(true)
    expect(checkPublicKey(policy, 'RSA', 512, new Date('2000-01-01')).accepted).toBe(false)
    expect(checkPublicKey(policy, 'EC', 256, new Date()).accepted).toBe(true)
  })

  it('refuses a malformed policy file with a plain message', () => {
    expect(() => parseValidationPolicy('{', 'p.json')).toThrow(/p.json is not valid JSON/)
    expect(() => parseValidationPolicy('{"name":"x"}', 'p.json')).toThrow(/not a valid validation policy/)
  })
})

function sig(integrity: SignatureReport['integrity'], trust: SignatureReport['trust'], indication: SignatureReport['indication'] = 'TOTAL_PASSED'): SignatureReport {
  return {
    id: 's',
    format: 'CAdES',
    level: 'B-B',
    signer: null,
    signingTime: null,
    timestamp: null,
    indication,
    subIndication: null,
    integrity,
    trust,
    coverage: { kind: 'whole', description: 'x' },
    changesAfter: [],
    checks: [],
    chain: [],
    qualification: null,
  }
}

describe('file-level aggregation', () => {
  it('takes the worst integrity: broken > modified > partial > indeterminate > intact', () => {
    expect(worstIntegrity(['intact', 'partial', 'modified'])).toBe('modified')
    expect(worstIntegrity(['indeterminate', 'broken', 'modified'])).toBe('broken')
    expect(fileIntegrity([sig('intact', 'trusted'), sig('indeterminate', 'trusted')])).toBe('indeterminate')
    expect(fileIntegrity([sig('intact', 'trusted')], 'partial')).toBe('partial')
  })

  it('is unsigned without signatures unless the format verifier says why', () => {
    expect(fileIntegrity([])).toBe('unsigned')
    expect(fileIntegrity([], 'indeterminate')).toBe('indeterminate')
  })

  it('takes the worst trust: revoked > untrusted > expired > unknown > trusted', () => {
    expect(fileTrust([sig('intact', 'trusted'), sig('intact', 'expired')])).toBe('expired')
    expect(fileTrust([sig('intact', 'revoked'), sig('intact', 'untrusted')])).toBe('revoked')
    expect(fileTrust([])).toBe('unknown')
  })

  it('exits 0 only when intact and every signature passed', () => {
    const report = (signatures: SignatureReport[], integrity: ValidationReport['integrity']): ValidationReport => ({ file: 'f', fileType: 'cms', integrity, trust: 'trusted', signatures, messages: [], validationTime: '' })
    expect(exitCodeFor(report([sig('intact', 'trusted')], 'intact'))).toBe(0)
    expect(exitCodeFor(report([sig('intact', 'trusted'), sig('intact', 'unknown', 'INDETERMINATE')], 'intact'))).toBe(1)
    expect(exitCodeFor(report([], 'unsigned'))).toBe(1)
    expect(exitCodeFor(report([sig('intact', 'trusted')], 'partial'))).toBe(1)
  })
})
