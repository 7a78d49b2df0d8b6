/**
 * Builds small ETSI TS 119 612 trusted lists and lists of lists for tests, and signs them with
 * xmlsec1 (enveloped XMLDSig, exclusive c14n, the signer certificate in KeyInfo) using keys of the
 * test PKI. Nothing here decides trust: the tests check what Paraphe does with these files.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestCert } from '../../support/pki'

export const CA_QC = 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC'
export const GRANTED = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted'
export const WITHDRAWN = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn'
const TSL_GENERIC = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric'
const TSL_LOTL = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists'

export interface ServiceSpec {
  der: Uint8Array
  tsp: string
  type?: string
  status?: string
}

export interface PointerSpec {
  territory: string
  signers: Uint8Array[]
}

export interface ListSpec {
  territory?: string
  services?: ServiceSpec[]
  pointers?: PointerSpec[]
  listOfLists?: boolean
  /** ListIssueDateTime, default yesterday (the test PKI's signers are valid from 30 days ago) */
  issued?: string
  /** NextUpdate, default in 180 days; null: closed list (empty NextUpdate) */
  nextUpdate?: string | null
  /** Id of the TrustServiceStatusList root; the signature reference then names it instead of URI="" */
  id?: string
}

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'

export const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

const b64 = (der: Uint8Array): string => Buffer.from(der).toString('base64')

export function providerListXml(services: ServiceSpec[]): string {
  const tsps = services
    .map(
      (s) => `<TrustServiceProvider>
    <TSPInformation><TSPName><Name xml:lang="en">${s.tsp}</Name></TSPName></TSPInformation>
    <TSPServices><TSPService><ServiceInformation>
      <ServiceTypeIdentifier>${s.type ?? CA_QC}</ServiceTypeIdentifier>
      <ServiceName><Name xml:lang="en">${s.tsp} CA</Name></ServiceName>
      <ServiceDigitalIdentity><DigitalId><X509Certificate>${b64(s.der)}</X509Certificate></DigitalId></ServiceDigitalIdentity>
      <ServiceStatus>${s.status ?? GRANTED}</ServiceStatus><StatusStartingTime>2020-01-01T00:00:00Z</StatusStartingTime>
    </ServiceInformation></TSPService></TSPServices>
  </TrustServiceProvider>`,
    )
    .join('\n  ')
  return `<TrustServiceProviderList>
  ${tsps}
  </TrustServiceProviderList>`
}

/** The unsigned list, with an empty ds:Signature template (xmlsec1 fills it) unless `template` is false. */
export function trustedListXml(spec: ListSpec, withSignatureTemplate = true): string {
  const pointers = (spec.pointers ?? [])
    .map(
      (p) => `<OtherTSLPointer>
      <ServiceDigitalIdentities>${p.signers.map((c) => `<ServiceDigitalIdentity><DigitalId><X509Certificate>${b64(c)}</X509Certificate></DigitalId></ServiceDigitalIdentity>`).join('')}</ServiceDigitalIdentities>
      <TSLLocation>https://example.test/tsl-${p.territory}.xml</TSLLocation>
      <AdditionalInformation>
        <OtherInformation><TSLType>${TSL_GENERIC}</TSLType></OtherInformation>
        <OtherInformation><SchemeTerritory>${p.territory}</SchemeTerritory></OtherInformation>
        <OtherInformation><ns3:MimeType xmlns:ns3="http://uri.etsi.org/02231/v2/additionaltypes#">application/vnd.etsi.tsl+xml</ns3:MimeType></OtherInformation>
      </AdditionalInformation>
    </OtherTSLPointer>`,
    )
    .join('\n    ')
  const nextUpdate = spec.nextUpdate === null ? '<NextUpdate/>' : `<NextUpdate><dateTime>${spec.nextUpdate ?? daysFromNow(180)}</dateTime></NextUpdate>`
  const signature =
    !withSignatureTemplate
      ? ''
      : `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="tsl-signature">
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="${RSA_SHA256}"/>
      <ds:Reference URI="${spec.id ? '#' + spec.id : ''}">
        <ds:Transforms>
          <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
          <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        </ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue/>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue/>
    <ds:KeyInfo><ds:X509Data/></ds:KeyInfo>
  </ds:Signature>`
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"${spec.id ? ` Id="${spec.id}"` : ''} TSLTag="http://uri.etsi.org/19612/TSLTag">
  <SchemeInformation>
    <TSLVersionIdentifier>5</TSLVersionIdentifier>
    <TSLSequenceNumber>42</TSLSequenceNumber>
    <TSLType>${spec.listOfLists ? TSL_LOTL : TSL_GENERIC}</TSLType>
    <SchemeOperatorName><Name xml:lang="en">Test scheme operator</Name></SchemeOperatorName>
    <SchemeTerritory>${spec.territory ?? (spec.listOfLists ? 'EU' : 'FR')}</SchemeTerritory>
    ${pointers ? `<PointersToOtherTSL>\n    ${pointers}\n    </PointersToOtherTSL>` : ''}
    <ListIssueDateTime>${spec.issued ?? daysFromNow(-1)}</ListIssueDateTime>
    ${nextUpdate}
  </SchemeInformation>
  ${spec.services && spec.services.length > 0 ? providerListXml(spec.services) : ''}
  ${signature}
</TrustServiceStatusList>
`
}

/**
 * Signs a list template with xmlsec1 and the PKI certificate's key (the signature method follows
 * the key: RSA or ECDSA with SHA-256); returns the signed XML text.
 */
export function signList(xml: string, signer: TestCert, opts: { idAttr?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'paraphe-tl-sign-'))
  try {
    const input = join(dir, 'in.xml')
    const output = join(dir, 'out.xml')
    writeFileSync(input, signer.kind === 'ec' ? xml.replace(RSA_SHA256, ECDSA_SHA256) : xml)
    execFileSync(
      'xmlsec1',
      ['--sign', ...(opts.idAttr ? ['--id-attr:Id', `http://uri.etsi.org/02231/v2#:${opts.idAttr}`] : []), '--privkey-pem', `${signer.keyPemPath},${signer.certPemPath}`, '--output', output, input],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    return readFileSync(output, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
