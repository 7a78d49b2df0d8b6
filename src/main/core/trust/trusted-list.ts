/**
 * ETSI TS 119 612 trusted list (XML) reader: trust service providers, their services, service
 * certificates and current status. Status "granted" (and the pre-eIDAS "undersupervision" /
 * "accredited") of a CA/QC service means certificates it issues with a QC statement are qualified.
 */
import { DOMParser, type Element } from '@xmldom/xmldom'

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

export interface TrustedList {
  origin: string
  territory: string | null
  sequenceNumber: string | null
  issueDate: string | null
  nextUpdate: string | null
  services: TrustedService[]
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

export function parseTrustedList(xml: string, origin: string): TrustedList {
  if (/<!DOCTYPE/i.test(xml)) throw new Error(`${origin}: a trusted list must not contain a DOCTYPE (refused)`)
  let doc
  try {
    const errors: string[] = []
    doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') errors.push(msg) } }).parseFromString(xml, 'text/xml')
    if (errors.length > 0) throw new Error(errors[0])
  } catch (err) {
    throw new Error(`${origin}: not well-formed XML (${(err as Error).message.split('\n')[0]})`)
  }
  const root = doc.documentElement
  if (!root || root.localName !== 'TrustServiceStatusList') throw new Error(`${origin}: not an ETSI TS 119 612 trusted list (no TrustServiceStatusList)`)
  const info = child(root as unknown as Element, 'SchemeInformation')
  const services: TrustedService[] = []
  const providers = child(root as unknown as Element, 'TrustServiceProviderList')
  for (const tsp of providers ? children(providers, 'TrustServiceProvider') : []) {
    const tspName = name(child(tsp, 'TSPInformation', 'TSPName'))
    const list = child(tsp, 'TSPServices')
    for (const svc of list ? children(list, 'TSPService') : []) {
      const si = child(svc, 'ServiceInformation')
      if (!si) continue
      const type = text(child(si, 'ServiceTypeIdentifier')) ?? ''
      const status = text(child(si, 'ServiceStatus')) ?? ''
      const certificates: Uint8Array[] = []
      const sdi = child(si, 'ServiceDigitalIdentity')
      for (const digitalId of sdi ? children(sdi, 'DigitalId') : []) {
        for (const c of children(digitalId, 'X509Certificate')) {
          const b64 = (c.textContent ?? '').replace(/\s+/g, '')
          if (b64 && /^[A-Za-z0-9+/]*={0,2}$/.test(b64)) certificates.push(new Uint8Array(Buffer.from(b64, 'base64')))
        }
      }
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
        certificates,
      })
    }
  }
  return {
    origin,
    territory: text(child(info, 'SchemeTerritory')),
    sequenceNumber: text(child(info, 'TSLSequenceNumber')),
    issueDate: text(child(info, 'ListIssueDateTime')),
    nextUpdate: text(child(info, 'NextUpdate', 'dateTime')),
    services,
  }
}
