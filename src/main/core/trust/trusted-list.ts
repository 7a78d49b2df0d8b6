/**
 * ETSI TS 119 612 trusted list (XML) reader: trust service providers, their services, service
 * certificates and current status; for a list of lists (EU LOTL), the pointers to the national lists
 * with the certificates allowed to sign them. Status "granted" (and the pre-eIDAS
 * "undersupervision" / "accredited") of a CA/QC service means certificates it issues with a QC
 * statement are qualified. Reading is not trusting: signed-trusted-list.ts decides whether a list
 * may be used.
 */
import type { Element } from '@xmldom/xmldom'
import { parseXml } from '../xml/parse'

export const TSL_NS = 'http://uri.etsi.org/02231/v2#'

const GRANTED_STATUSES = new Set([
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel',
  'http://uri.etsi.org/TrstSvc/Svcstatus/undersupervision',
  'http://uri.etsi.org/TrstSvc/Svcstatus/accredited',
  'http://uri.etsi.org/TrstSvc/Svcstatus/supervisionincessation',
])

export interface TrustedService {
  tspName: string
  serviceName: string
  /** e.g. http://uri.etsi.org/TrstSvc/Svctype/CA/QC, .../TSA/QTST */
  type: string
  status: string
  statusStartingTime: string | null
  /** status granted (or equivalent) */
  granted: boolean
  /** a CA/QC service (issues qualified certificates) */
  qualifiedCa: boolean
  /** a qualified timestamping service */
  qualifiedTsa: boolean
  certificates: Uint8Array[]
}

/** OtherTSLPointer of a list of lists: where a national list is and who may sign it. */
export interface TrustedListPointer {
  territory: string | null
  location: string | null
  mimeType: string | null
  /** ServiceDigitalIdentities: the certificates allowed to sign the pointed list */
  signerCertificates: Uint8Array[]
}

export interface TrustedList {
  origin: string
  /** TSLType URI */
  type: string | null
  /** a list of lists (EU LOTL): its pointers name the signers of the national lists */
  isListOfLists: boolean
  territory: string | null
  sequenceNumber: string | null
  issueDate: string | null
  nextUpdate: string | null
  services: TrustedService[]
  pointers: TrustedListPointer[]
}

function children(el: Element, localName: string): Element[] {
  const out: Element[] = []
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName) out.push(n as Element)
  }
  return out
}

function child(el: Element | undefined, ...path: string[]): Element | undefined {
  let cur = el
  for (const name of path) {
    if (!cur) return undefined
    cur = children(cur, name)[0]
  }
  return cur
}

function text(el: Element | undefined): string | null {
  const t = el?.textContent?.trim()
  return t ? t : null
}

/** First Name (preferring English) of a multilingual name list. */
function name(list: Element | undefined): string {
  if (!list) return '?'
  const names = children(list, 'Name')
  const en = names.find((n) => n.getAttribute('xml:lang') === 'en')
  return text(en ?? names[0]) ?? '?'
}

/** X509Certificate values of ServiceDigitalIdentity elements (other DigitalId kinds are skipped). */
function certificatesOf(identities: Element[]): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const identity of identities) {
    for (const digitalId of children(identity, 'DigitalId')) {
      for (const c of children(digitalId, 'X509Certificate')) {
        const b64 = (c.textContent ?? '').replace(/\s+/g, '')
        if (b64 && /^[A-Za-z0-9+/]*={0,2}$/.test(b64)) out.push(new Uint8Array(Buffer.from(b64, 'base64')))
      }
    }
  }
  return out
}

/** Reads a trusted list from its parsed root element (the DOM whose signature was checked). */
export function readTrustedList(root: Element, origin: string): TrustedList {
  if (root.localName !== 'TrustServiceStatusList') throw new Error(`${origin}: not an ETSI TS 119 612 trusted list (no TrustServiceStatusList)`)
  const info = child(root, 'SchemeInformation')
  const services: TrustedService[] = []
  const providers = child(root, 'TrustServiceProviderList')
  for (const tsp of providers ? children(providers, 'TrustServiceProvider') : []) {
    const tspName = name(child(tsp, 'TSPInformation', 'TSPName'))
    const list = child(tsp, 'TSPServices')
    for (const svc of list ? children(list, 'TSPService') : []) {
      const si = child(svc, 'ServiceInformation')
      if (!si) continue
      const type = text(child(si, 'ServiceTypeIdentifier')) ?? ''
      const status = text(child(si, 'ServiceStatus')) ?? ''
      const granted = GRANTED_STATUSES.has(status)
      services.push({
        tspName,
        serviceName: name(child(si, 'ServiceName')),
        type,
        status,
        statusStartingTime: text(child(si, 'StatusStartingTime')),
        granted,
        qualifiedCa: type.endsWith('/Svctype/CA/QC'),
        qualifiedTsa: type.endsWith('/Svctype/TSA/QTST'),
        certificates: certificatesOf(children(si, 'ServiceDigitalIdentity')),
      })
    }
  }
  const pointers: TrustedListPointer[] = []
  const pointerList = child(info, 'PointersToOtherTSL')
  for (const p of pointerList ? children(pointerList, 'OtherTSLPointer') : []) {
    const identities = child(p, 'ServiceDigitalIdentities')
    // AdditionalInformation holds several OtherInformation, each with one fact (territory, MIME type...).
    const facts = new Map<string, string>()
    const additional = child(p, 'AdditionalInformation')
    for (const oi of additional ? children(additional, 'OtherInformation') : []) {
      for (let n = oi.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 1 && !facts.has((n as Element).localName ?? '')) facts.set((n as Element).localName ?? '', text(n as Element) ?? '')
      }
    }
    pointers.push({
      territory: facts.get('SchemeTerritory') || null,
      location: text(child(p, 'TSLLocation')),
      mimeType: facts.get('MimeType') || null,
      signerCertificates: certificatesOf(identities ? children(identities, 'ServiceDigitalIdentity') : []),
    })
  }
  const type = text(child(info, 'TSLType'))
  return {
    origin,
    type,
    isListOfLists: !!type && /listofthelists$/i.test(type),
    territory: text(child(info, 'SchemeTerritory')),
    sequenceNumber: text(child(info, 'TSLSequenceNumber')),
    issueDate: text(child(info, 'ListIssueDateTime')),
    nextUpdate: text(child(info, 'NextUpdate', 'dateTime')),
    services,
    pointers,
  }
}

/** Parses and reads a trusted list's XML text (no signature check). Throws with a plain message. */
export function parseTrustedList(xml: string, origin: string): TrustedList {
  if (/<!DOCTYPE/i.test(xml)) throw new Error(`${origin}: a trusted list must not contain a DOCTYPE (refused)`)
  let root: Element
  try {
    root = parseXml(new Uint8Array(Buffer.from(xml, 'utf8'))).root
  } catch (err) {
    throw new Error(`${origin}: not well-formed XML (${(err as Error).message.split('\n')[0]})`)
  }
  return readTrustedList(root, origin)
}
