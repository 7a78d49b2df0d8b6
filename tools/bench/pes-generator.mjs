// Generates a PES V2 (ISO-8859-1, accented labels) with N bordereaux, each carrying an enveloped
// XAdES signature over its own bordereau (exc-c14n, RSA-SHA256, SigningCertificateV2, SigningTime),
// signed with a throwaway RSA key made by openssl. Used by the PES verification bench and by the
// integration test, where xmlsec1 checks every signature independently.
import { execFileSync } from 'node:child_process'
import { createHash, createPrivateKey, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalize, c14nMethod, EXC_C14N } from '../../src/main/core/verify/xml/c14n.ts'
import { descendantsNS, parseXmlBytes, NS_DSIG } from '../../src/main/core/verify/xml/dom.ts'

const XADES = 'http://uri.etsi.org/01903/v1.3.2#'

/** Self-signed RSA-2048 signer in `dir` (key.pem, cert.pem); returns paths and certificate DER. */
export function makeSigner(dir, cn = 'Agent Comptable Bénédicte') {
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', `/C=FR/O=Commune de Test/CN=${cn}`, '-addext', 'keyUsage=critical,nonRepudiation,digitalSignature', '-utf8'], { stdio: 'ignore' })
  const pem = readFileSync(cert, 'utf8')
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  return { key, cert, der }
}

function bordereau(i, pieces) {
  const lines = []
  for (let p = 1; p <= pieces; p++) {
    lines.push(
      `<Piece><BlocPiece><InfoPce><IdPce V="${i * 1000 + p}"/><Obj V="Réglement facture n°${p} - fournitures scolaires élémentaires"/></InfoPce></BlocPiece>` +
        `<LigneDePiece><BlocLignePiece><InfoLignePiece><IdLigne V="1"/><Nature V="6067"/><MtHT V="${(p * 13.37).toFixed(2)}"/></InfoLignePiece>` +
        `<Tiers><InfoTiers><Nom V="Société d'équipement n°${p}"/></InfoTiers></Tiers></BlocLignePiece></LigneDePiece></Piece>`,
    )
  }
  return `<Bordereau Id="BORD${i}"><BlocBordereau><Exer V="2026"/><IdBord V="${i}"/><DteBordEm V="2026-11-29"/><TypBord V="01"/></BlocBordereau>${lines.join('')}</Bordereau>`
}

function signatureTemplate(i, certB64, certDigestB64, signingTime, method, chainB64) {
  const sid = `BORD${i}_SIG`
  return (
    `<ds:Signature xmlns:ds="${NS_DSIG}" Id="${sid}"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="${method}"/>` +
    `<ds:Reference URI="#BORD${i}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>@@D1_${i}@@</ds:DigestValue></ds:Reference>` +
    `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${sid}_SP"><ds:Transforms><ds:Transform Algorithm="${EXC_C14N}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>@@D2_${i}@@</ds:DigestValue></ds:Reference>` +
    `</ds:SignedInfo><ds:SignatureValue>@@SV_${i}@@</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certB64}</ds:X509Certificate>${chainB64.map((c) => `<ds:X509Certificate>${c}</ds:X509Certificate>`).join('')}</ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><xad:QualifyingProperties xmlns:xad="${XADES}" Target="#${sid}"><xad:SignedProperties Id="${sid}_SP"><xad:SignedSignatureProperties>` +
    `<xad:SigningTime>${signingTime}</xad:SigningTime><xad:SigningCertificateV2><xad:Cert><xad:CertDigest>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>${certDigestB64}</ds:DigestValue>` +
    `</xad:CertDigest></xad:Cert></xad:SigningCertificateV2></xad:SignedSignatureProperties></xad:SignedProperties></xad:QualifyingProperties></ds:Object>` +
    `</ds:Signature>`
  )
}

/**
 * Writes a signed PES with `count` bordereaux to `out`; returns the signature Ids.
 * Digests and signatures are computed on the parsed document; the file text is never re-serialized.
 */
export function generateSignedPes({ out, count, piecesPerBordereau = 8, signer, chainDer = [] }) {
  const key = createPrivateKey(readFileSync(signer.key))
  const ec = key.asymmetricKeyType === 'ec'
  // XMLDSig ECDSA is raw r||s (IEEE P1363), not DER.
  const method = ec ? 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
  const chainB64 = chainDer.map((d) => Buffer.from(d).toString('base64'))
  const certB64 = Buffer.from(signer.der).toString('base64')
  const certDigest = createHash('sha256').update(Buffer.from(signer.der)).digest('base64')
  const when = '2026-11-29T10:00:00Z'
  const parts = [
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n',
    '<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" Id="PES1">',
    '<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="PESALR2_bench.xml"/></Parametres></Enveloppe>',
    '<EnTetePES><DteStr V="2026-11-29"/><IdPost V="012345"/><IdColl V="21690123456789"/><CodCol V="123"/><LibelleColBud V="Commune de Sainte-Énimie"/></EnTetePES>',
    '<PES_DepenseAller>',
  ]
  for (let i = 1; i <= count; i++) {
    const b = bordereau(i, piecesPerBordereau)
    parts.push(b.replace(/<\/Bordereau>$/, signatureTemplate(i, certB64, certDigest, when, method, chainB64) + '</Bordereau>'))
  }
  parts.push('</PES_DepenseAller></n:PES_Aller>\n')
  let text = parts.join('')
  const doc = parseXmlBytes(Buffer.from(text, 'latin1')).doc
  const exc = c14nMethod(EXC_C14N)
  const values = new Map()
  const sigs = descendantsNS(doc.documentElement, (ns) => ns === NS_DSIG, 'Signature')
  sigs.forEach((sig, k) => {
    const i = k + 1
    const bord = sig.parentNode
    const d1 = createHash('sha256').update(canonicalize({ apex: bord, exclude: new Set([sig]), commentsInSet: false }, exc)).digest('base64')
    const sp = descendantsNS(sig, () => true, 'SignedProperties')[0]
    const d2 = createHash('sha256').update(canonicalize({ apex: sp, exclude: new Set(), commentsInSet: false }, exc)).digest('base64')
    const digestValues = descendantsNS(sig, (ns) => ns === NS_DSIG, 'DigestValue').filter((e) => e.textContent.startsWith('@@'))
    digestValues[0].firstChild.data = d1
    digestValues[1].firstChild.data = d2
    const signedInfo = descendantsNS(sig, (ns) => ns === NS_DSIG, 'SignedInfo')[0]
    const sv = sign('sha256', canonicalize({ apex: signedInfo, exclude: new Set(), commentsInSet: false }, exc), ec ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64')
    values.set(`@@D1_${i}@@`, d1).set(`@@D2_${i}@@`, d2).set(`@@SV_${i}@@`, sv)
  })
  text = text.replace(/@@(?:D1|D2|SV)_\d+@@/g, (m) => values.get(m))
  writeFileSync(out, Buffer.from(text, 'latin1'))
  return sigs.map((_, k) => `BORD${k + 1}_SIG`)
}

/** xmlsec1 check of one signature of the generated PES (independent oracle); true when it verifies. */
export function xmlsecVerify(file, signatureId, certPem, extraArgs = []) {
  try {
    execFileSync('xmlsec1', ['--verify', '--trusted-pem', certPem, ...extraArgs, '--id-attr:Id', 'Bordereau', '--id-attr:Id', `${XADES}:SignedProperties`, '--id-attr:Id', `${NS_DSIG}:Signature`, '--node-id', signatureId, file], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}
