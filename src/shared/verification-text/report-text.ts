/**
 * The verification report as plain text, in French or English, in plain words: a summary of the
 * file, then one paragraph per signature (who, when, with which certificate, what is covered, what
 * changed since). Pure (no Node, no DOM): the CLI (`paraphe verify --lang`), the PDF export and the
 * Verify screen's "full text" (in the UI language) all write it from the report.
 * Dates are written in Paris time, like the engine's own dates inside the texts.
 */
import type { IntegrityClass, SignatureReport, TrustStatus, ValidationReport } from '../model/validation'
import { localized, verificationLanguage, verificationText, type VerificationLanguage, type VerificationTextOptions } from './index'

const PARIS: VerificationTextOptions = { timeZone: 'Europe/Paris' }

type Sub = NonNullable<SignatureReport['subIndication']>

interface ReportWords {
  integrity: Record<IntegrityClass, string>
  trust: Record<TrustStatus, string>
  indication: Record<SignatureReport['indication'], string>
  sub: Partial<Record<Sub, string>>
  format: Record<SignatureReport['format'], string>
  locale: string
  parisTime: string
  unknownDate: string
  unknownSigner: string
  /** "{kind} de {who}" */
  kindBy: (kind: string, who: string) => string
  colon: string
  listSeparator: string
  docTimestamp: (date: string) => string
  claimedTime: string
  timestamp: string
  by: string
  valid: string
  notValid: string
  noTimestamp: string
  level: string
  integrityLabel: string
  covers: string
  certificate: (subject: string, issuer: string, from: string, to: string) => string
  trustLabel: string
  qualification: string
  changedAfter: string
  allowedSince: string
  points: string
  status: Record<'failed' | 'warning' | 'indeterminate', string>
  title: string
  fileLabel: string
  verifiedOn: string
  fileIntegrity: string
  remark: string
  headline: {
    unsupported: string
    unsigned: string
    authentic: (n: number) => string
    intactNotValidated: (n: number) => string
    attention: string
  }
}

const FR: ReportWords = {
  integrity: {
    intact: 'intact : le document n’a pas été modifié depuis sa signature (ou seulement par des ajouts autorisés)',
    partial: 'partiellement signé : une partie du fichier n’est couverte par aucune signature',
    modified: 'modifié après signature : des changements non autorisés ont été faits après la signature',
    broken: 'signature invalide : une signature ne correspond pas au contenu ou est altérée',
    unsigned: 'non signé : aucune signature trouvée',
    indeterminate: 'indéterminé : la vérification n’a pas pu aboutir avec les éléments disponibles',
  },
  trust: {
    trusted: 'de confiance',
    untrusted: 'non reconnu (aucune autorité de confiance connue ne garantit le certificat)',
    expired: 'certificat expiré',
    revoked: 'certificat révoqué',
    unknown: 'confiance non établie (révocation non vérifiée ou vérification incomplète)',
  },
  indication: { TOTAL_PASSED: 'VALIDE', TOTAL_FAILED: 'INVALIDE', INDETERMINATE: 'INDÉTERMINÉE' },
  sub: {
    FORMAT_FAILURE: 'la structure de la signature est incorrecte',
    HASH_FAILURE: 'le contenu signé a été modifié (empreinte différente)',
    SIG_CRYPTO_FAILURE: 'la valeur de signature ne correspond pas à la clé du certificat',
    REVOKED: 'le certificat était révoqué au moment de la signature',
    REVOKED_NO_POE: 'le certificat est révoqué et rien ne prouve que la signature soit antérieure à la révocation',
    REVOKED_CA_NO_POE: 'un certificat d’autorité de la chaîne est révoqué',
    NO_CERTIFICATE_CHAIN_FOUND: 'le certificat ne remonte à aucune autorité de confiance connue',
    NO_SIGNING_CERTIFICATE_FOUND: 'le certificat du signataire est introuvable ou ne correspond pas à celui annoncé',
    OUT_OF_BOUNDS_NO_POE: 'le certificat a expiré et aucun horodatage ne prouve que la signature est antérieure',
    EXPIRED: 'le certificat était expiré au moment de la signature',
    NOT_YET_VALID: 'le certificat n’était pas encore valide au moment de la signature',
    CRYPTO_CONSTRAINTS_FAILURE: 'un algorithme utilisé n’est plus accepté par la politique de validation',
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE: 'un algorithme utilisé n’est plus accepté aujourd’hui et aucun horodatage ne prouve une signature plus ancienne',
    CHAIN_CONSTRAINTS_FAILURE: 'le certificat n’est pas prévu pour cet usage (usage de clé)',
    SIG_CONSTRAINTS_FAILURE: 'la signature ne respecte pas les contraintes de la politique',
    TRY_LATER: 'l’état de révocation du certificat n’a pas pu être vérifié',
    SIGNED_DATA_NOT_FOUND: 'le contenu signé n’a pas été fourni',
    TIMESTAMP_ORDER_FAILURE: 'l’heure de signature annoncée est postérieure à l’horodatage',
    NO_POE: 'l’horodatage ne peut pas être vérifié',
    POLICY_PROCESSING_ERROR: 'la politique de signature n’a pas pu être vérifiée',
    SIGNATURE_POLICY_NOT_AVAILABLE: 'la politique de signature n’est pas disponible',
    GENERIC: 'problème non classé',
  },
  format: {
    PAdES: 'signature PDF (PAdES)',
    'PDF-PKCS7': 'signature PDF (PKCS#7)',
    'PDF-DocTimeStamp': 'horodatage de document PDF',
    CAdES: 'signature CAdES',
    CMS: 'signature CMS (PKCS#7)',
    XAdES: 'signature XML (XAdES)',
    XMLDSig: 'signature XML (XMLDSig)',
  },
  locale: 'fr-FR',
  parisTime: 'heure de Paris',
  unknownDate: 'inconnue',
  unknownSigner: 'signataire inconnu',
  kindBy: (kind, who) => `${kind} de ${who}`,
  colon: ' : ',
  listSeparator: ' ; ',
  docTimestamp: (date) => `Horodatage du ${date}.`,
  claimedTime: 'Heure de signature déclarée',
  timestamp: 'Horodatage',
  by: 'par',
  valid: 'valide',
  notValid: 'NON valide',
  noTimestamp: 'Pas d’horodatage : l’heure de signature n’est pas prouvée.',
  level: 'Niveau',
  integrityLabel: 'Intégrité',
  covers: 'Couvre',
  certificate: (subject, issuer, from, to) => `Certificat : ${subject}, émis par ${issuer}, valable du ${from} au ${to}.`,
  trustLabel: 'Confiance',
  qualification: 'Qualification',
  changedAfter: 'Modifié après la signature',
  allowedSince: 'Ajouts autorisés depuis',
  points: 'Points relevés :',
  status: { failed: 'échec', warning: 'avertissement', indeterminate: 'non vérifié' },
  title: 'RAPPORT DE VÉRIFICATION',
  fileLabel: 'Fichier',
  verifiedOn: 'Vérifié le',
  fileIntegrity: 'Intégrité du fichier',
  remark: 'Remarque',
  headline: {
    unsupported: 'Format de fichier non pris en charge : rien n’a pu être vérifié.',
    unsigned: 'Ce fichier ne contient aucune signature.',
    authentic: (n) => `Le document est authentique : ${n === 1 ? 'la signature est valide' : `les ${n} signatures sont valides`} et il n’a pas été modifié.`,
    intactNotValidated: (n) =>
      `Le document n’a pas été modifié depuis sa signature, mais ${n === 1 ? 'la signature n’est pas entièrement validée' : 'toutes les signatures ne sont pas entièrement validées'} (voir la confiance ci-dessous).`,
    attention: 'Attention',
  },
}

const EN: ReportWords = {
  integrity: {
    intact: 'intact: the document has not been changed since it was signed (or only by allowed additions)',
    partial: 'partly signed: part of the file is covered by no signature',
    modified: 'changed after signing: changes that are not allowed were made after the signature',
    broken: 'invalid signature: a signature does not match the content or is damaged',
    unsigned: 'not signed: no signature found',
    indeterminate: 'indeterminate: the verification could not be completed with what is available',
  },
  trust: {
    trusted: 'trusted',
    untrusted: 'not recognised (no known trusted authority vouches for the certificate)',
    expired: 'certificate expired',
    revoked: 'certificate revoked',
    unknown: 'trust not established (revocation not checked or verification incomplete)',
  },
  indication: { TOTAL_PASSED: 'VALID', TOTAL_FAILED: 'INVALID', INDETERMINATE: 'INDETERMINATE' },
  sub: {
    FORMAT_FAILURE: 'the signature structure is incorrect',
    HASH_FAILURE: 'the signed content was changed (different fingerprint)',
    SIG_CRYPTO_FAILURE: 'the signature value does not match the certificate\'s key',
    REVOKED: 'the certificate was revoked at signing time',
    REVOKED_NO_POE: 'the certificate is revoked and nothing proves the signature predates the revocation',
    REVOKED_CA_NO_POE: 'an authority certificate of the chain is revoked',
    NO_CERTIFICATE_CHAIN_FOUND: 'the certificate does not lead to any known trusted authority',
    NO_SIGNING_CERTIFICATE_FOUND: 'the signer\'s certificate cannot be found or is not the one announced',
    OUT_OF_BOUNDS_NO_POE: 'the certificate has expired and no timestamp proves the signature is older',
    EXPIRED: 'the certificate had expired at signing time',
    NOT_YET_VALID: 'the certificate was not valid yet at signing time',
    CRYPTO_CONSTRAINTS_FAILURE: 'an algorithm used is no longer accepted by the validation policy',
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE: 'an algorithm used is no longer accepted today and no timestamp proves an older signature',
    CHAIN_CONSTRAINTS_FAILURE: 'the certificate is not meant for this use (key usage)',
    SIG_CONSTRAINTS_FAILURE: 'the signature does not meet the constraints of the policy',
    TRY_LATER: 'the certificate\'s revocation status could not be checked',
    SIGNED_DATA_NOT_FOUND: 'the signed content was not provided',
    TIMESTAMP_ORDER_FAILURE: 'the claimed signing time is later than the timestamp',
    NO_POE: 'the timestamp cannot be verified',
    POLICY_PROCESSING_ERROR: 'the signature policy could not be checked',
    SIGNATURE_POLICY_NOT_AVAILABLE: 'the signature policy is not available',
    GENERIC: 'unclassified problem',
  },
  format: {
    PAdES: 'PDF signature (PAdES)',
    'PDF-PKCS7': 'PDF signature (PKCS#7)',
    'PDF-DocTimeStamp': 'PDF document timestamp',
    CAdES: 'CAdES signature',
    CMS: 'CMS signature (PKCS#7)',
    XAdES: 'XML signature (XAdES)',
    XMLDSig: 'XML signature (XMLDSig)',
  },
  locale: 'en-GB',
  parisTime: 'Paris time',
  unknownDate: 'unknown',
  unknownSigner: 'unknown signer',
  kindBy: (kind, who) => `${kind} by ${who}`,
  colon: ': ',
  listSeparator: '; ',
  docTimestamp: (date) => `Timestamp of ${date}.`,
  claimedTime: 'Claimed signing time',
  timestamp: 'Timestamp',
  by: 'by',
  valid: 'valid',
  notValid: 'NOT valid',
  noTimestamp: 'No timestamp: the signing time is not proven.',
  level: 'Level',
  integrityLabel: 'Integrity',
  covers: 'Covers',
  certificate: (subject, issuer, from, to) => `Certificate: ${subject}, issued by ${issuer}, valid from ${from} to ${to}.`,
  trustLabel: 'Trust',
  qualification: 'Qualification',
  changedAfter: 'Changed after signing',
  allowedSince: 'Allowed additions since',
  points: 'Findings:',
  status: { failed: 'failed', warning: 'warning', indeterminate: 'not checked' },
  title: 'VERIFICATION REPORT',
  fileLabel: 'File',
  verifiedOn: 'Verified on',
  fileIntegrity: 'File integrity',
  remark: 'Note',
  headline: {
    unsupported: 'File format not supported: nothing could be verified.',
    unsigned: 'This file holds no signature.',
    authentic: (n) => `The document is authentic: ${n === 1 ? 'the signature is valid' : `the ${n} signatures are valid`} and it has not been changed.`,
    intactNotValidated: (n) =>
      `The document has not been changed since it was signed, but ${n === 1 ? 'the signature is not fully validated' : 'not all signatures are fully validated'} (see the trust below).`,
    attention: 'Warning',
  },
}

const WORDS: Record<VerificationLanguage, ReportWords> = { fr: FR, en: EN }

/** The words of the report in `lang` ('fr', 'fr-FR' -> French, anything else -> English). */
export function reportWords(lang: string): ReportWords {
  return WORDS[verificationLanguage(lang)]
}

function date(w: ReportWords, iso: string | null): string {
  if (!iso) return w.unknownDate
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toLocaleString(w.locale, { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'medium' })} (${w.parisTime})`
}

function who(w: ReportWords, s: SignatureReport): string {
  if (!s.signer) return w.unknownSigner
  const parts = [s.signer.commonName ?? s.signer.subject]
  if (s.signer.organization) parts.push(s.signer.organization)
  return parts.join(', ')
}

/** Plain-words summary of one signature (`index` 1-based): one short headline, then details. */
export function signatureSummary(s: SignatureReport, index: number, lang: string): string[] {
  const w = reportWords(lang)
  const engine = (item: Parameters<typeof localized>[1], fallback: string): string => localized(lang, item, fallback, PARIS)
  const c = w.colon
  const lines: string[] = []
  lines.push(`${index}. ${w.kindBy(w.format[s.format], who(w, s))}${c}${w.indication[s.indication]}${s.subIndication ? ` (${w.sub[s.subIndication] ?? s.subIndication})` : ''}`)
  if (s.format === 'PDF-DocTimeStamp') lines.push(`   ${w.docTimestamp(date(w, s.signingTime))}`)
  else {
    lines.push(`   ${w.claimedTime}${c}${date(w, s.signingTime)}.`)
    if (s.timestamp) {
      const validity = s.timestamp.valid ? w.valid : `${w.notValid}${s.timestamp.message ? `${c}${engine(s.timestamp, s.timestamp.message)}` : ''}`
      lines.push(`   ${w.timestamp}${c}${date(w, s.timestamp.time)}${s.timestamp.tsa ? ` ${w.by} ${s.timestamp.tsa}` : ''} (${validity}).`)
    } else lines.push(`   ${w.noTimestamp}`)
  }
  if (s.level) lines.push(`   ${w.level}${c}${s.level}.`)
  lines.push(`   ${w.integrityLabel}${c}${w.integrity[s.integrity === 'unsigned' ? 'indeterminate' : s.integrity]}.`)
  lines.push(`   ${w.covers}${c}${engine(s.coverage, s.coverage.description)}.`)
  if (s.signer) lines.push(`   ${w.certificate(s.signer.subject, s.signer.issuer, s.signer.notBefore.slice(0, 10), s.signer.notAfter.slice(0, 10))}`)
  lines.push(`   ${w.trustLabel}${c}${w.trust[s.trust]}.`)
  if (s.qualification) lines.push(`   ${w.qualification}${c}${s.qualification}.`)
  const disallowed = s.changesAfter.filter((x) => !x.allowed)
  const allowed = s.changesAfter.filter((x) => x.allowed)
  if (disallowed.length > 0) lines.push(`   ${w.changedAfter}${c}${disallowed.map((x) => engine(x, x.description)).join(w.listSeparator)}.`)
  if (allowed.length > 0) lines.push(`   ${w.allowedSince}${c}${allowed.map((x) => engine(x, x.description)).join(w.listSeparator)}.`)
  const problems = s.checks.filter((x) => x.status === 'failed' || x.status === 'indeterminate' || x.status === 'warning')
  if (problems.length > 0) {
    lines.push(`   ${w.points}`)
    for (const p of problems.slice(0, 12)) lines.push(`     - [${w.status[p.status as 'failed' | 'warning' | 'indeterminate']}] ${engine(p, p.message)}`)
  }
  return lines
}

/** Headline for the whole file, in one sentence. */
export function fileHeadline(r: ValidationReport, lang: string): string {
  const w = reportWords(lang)
  if (r.fileType === 'unsupported') return w.headline.unsupported
  if (r.integrity === 'unsigned') return w.headline.unsigned
  const n = r.signatures.length
  const all = r.signatures.every((s) => s.indication === 'TOTAL_PASSED')
  if (r.integrity === 'intact' && all) return w.headline.authentic(n)
  if (r.integrity === 'intact') return w.headline.intactNotValidated(n)
  return `${w.headline.attention}${w.colon}${w.integrity[r.integrity]}.`
}

/** The whole report as plain text in `lang`. */
export function reportText(r: ValidationReport, lang: string): string {
  const w = reportWords(lang)
  const c = w.colon
  const lines: string[] = [w.title, '', `${w.fileLabel}${c}${r.file}`, `${w.verifiedOn}${c}${date(w, r.validationTime)}`, '', fileHeadline(r, lang), '']
  lines.push(`${w.fileIntegrity}${c}${w.integrity[r.integrity]}.`)
  if (r.signatures.length > 0) lines.push(`${w.trustLabel}${c}${w.trust[r.trust]}.`)
  r.messages.forEach((m, i) => {
    const coded = r.messageRefs?.[i]
    lines.push(`${w.remark}${c}${coded ? verificationText(lang, coded.code, coded.params, m, PARIS) : m}`)
  })
  r.signatures.forEach((s, i) => {
    lines.push('')
    lines.push(...signatureSummary(s, i + 1, lang))
  })
  return lines.join('\n')
}
