/**
 * Trust anchors for verification: bundled anchors (resources/trust/*.pem|crt|cer|der), user anchors
 * (`--trust PEM`) and certificates of services listed in an ETSI TS 119 612 trusted list imported
 * from a local file, once its signature is verified (signed-trusted-list.ts). No network. Plain
 * object built per verification context (no singleton).
 */
import 'reflect-metadata'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { certificatesFromFile } from './pem'
import { text, type CodedText } from '../verify/texts'
import { decideTrustedLists, type LoadTrustedListsOptions, type ParsedTrustedListFile } from './signed-trusted-list'
import type { TrustedList, TrustedService } from './trusted-list'

export type AnchorSource = 'bundled' | 'user' | 'trusted-list'

export interface TrustAnchor {
  der: Uint8Array
  sha256: string
  subject: string
  /** DER of the subject Name, to match certificates' issuer */
  subjectDer: Uint8Array
  /** SubjectKeyIdentifier hex, when present */
  keyId: string | null
  source: AnchorSource
  /** file name or trusted-list operator, for messages */
  origin: string
  /** present when the anchor comes from a trusted list */
  service?: TrustedService
}

export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

export class TrustStore {
  private readonly list: TrustAnchor[] = []
  /** trusted lists in use (signature verified, current) */
  readonly trustedLists: TrustedList[] = []
  /** why a trusted list given by the user is not used, for every report of this context */
  readonly notices: CodedText[] = []
  private loading: Promise<void> = Promise.resolve()

  /** Adds one DER certificate; returns the anchor (existing one when already present). */
  addCertificate(der: Uint8Array, source: AnchorSource, origin: string, service?: TrustedService): TrustAnchor {
    const sha = sha256Hex(der)
    const existing = this.list.find((a) => a.sha256 === sha)
    if (existing) {
      // A trusted-list entry adds facts (service status) to a bundled/user anchor.
      if (service && !existing.service) existing.service = service
      return existing
    }
    const cert = new x509.X509Certificate(der)
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)
    const anchor: TrustAnchor = {
      der: new Uint8Array(der),
      sha256: sha,
      subject: cert.subject,
      subjectDer: new Uint8Array(cert.subjectName.toArrayBuffer()),
      keyId: ski ? ski.keyId.toLowerCase() : null,
      source,
      origin,
      ...(service ? { service } : {}),
    }
    this.list.push(anchor)
    return anchor
  }

  /** Adds every certificate of a PEM or DER file content. Throws with a plain message on bad input. */
  addCertificatesFromFile(bytes: Uint8Array, source: AnchorSource, origin: string): TrustAnchor[] {
    return certificatesFromFile(bytes).map((der) => {
      try {
        return this.addCertificate(der, source, origin)
      } catch (err) {
        throw new Error(`${origin}: not a readable certificate (${(err as Error).message})`)
      }
    })
  }

  /**
   * Uses ETSI TS 119 612 trusted lists whose signature verifies with a configured signer (see
   * decideTrustedLists); the others are only noted in `notices`. Every service certificate of a
   * usable list becomes an anchor carrying its service type and status; only CA services are chain
   * anchors for signatures, but TSA services are kept to recognise qualified timestamps. Anchors
   * appear when the returned promise (also `ready()`) settles; it never rejects.
   */
  loadTrustedLists(files: readonly ParsedTrustedListFile[], opts: LoadTrustedListsOptions): Promise<void> {
    const previous = this.loading
    this.loading = (async () => {
      await previous
      try {
        for (const d of await decideTrustedLists(files, opts)) {
          if (d.refused) this.notices.push(d.refused)
          else this.useTrustedList(d.list)
        }
      } catch (err) {
        // Not expected (each list's problems are reasons, not exceptions): no list is used then.
        this.notices.push(text('text', { text: `trusted lists not used: ${(err as Error).message}` }))
      }
    })()
    return this.loading
  }

  /** Settles when the trusted lists given so far are checked and their anchors added. */
  ready(): Promise<void> {
    return this.loading
  }

  private useTrustedList(tl: TrustedList): void {
    this.trustedLists.push(tl)
    for (const service of tl.services) {
      for (const der of service.certificates) {
        try {
          this.addCertificate(der, 'trusted-list', `${tl.territory ?? '?'} trusted list: ${service.tspName}`, service)
        } catch {
          // an unreadable certificate in the list is skipped; the list's other services still count
        }
      }
    }
  }

  anchors(): readonly TrustAnchor[] {
    return this.list
  }

  findBySha256(sha256: string): TrustAnchor | undefined {
    return this.list.find((a) => a.sha256 === sha256.toLowerCase())
  }
}

const ANCHOR_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der'])

/** Anchors shipped with Paraphe: every certificate file directly in `<resources>/trust/`. */
export function loadBundledAnchors(store: TrustStore, resourcesDir: string): void {
  const dir = join(resourcesDir, 'trust')
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir).sort()) {
    if (!ANCHOR_EXTENSIONS.has(extname(name).toLowerCase())) continue
    store.addCertificatesFromFile(readFileSync(join(dir, name)), 'bundled', name)
  }
}
