/**
 * Rapport de vérification en français, en mots simples : un résumé du fichier, puis un paragraphe
 * par signature (qui, quand, avec quel certificat, ce qui est couvert, ce qui a changé depuis).
 * Texte brut, réutilisé par la CLI, l'export PDF et la vue « Vérifier » de l'interface.
 */
import type { IntegrityClass, SignatureReport, TrustStatus, ValidationReport } from '../../../shared/model/validation'
import { localized as localizedText, verificationText, type VerificationTextOptions } from '../../../shared/verification-text'

/** dates inside the engine's texts in Paris time, like the report's own dates */
const PARIS: VerificationTextOptions = { timeZone: 'Europe/Paris' }
const localized = (lang: 'fr', item: Parameters<typeof localizedText>[1], fallback: string): string => localizedText(lang, item, fallback, PARIS)

export const INTEGRITY_FR: Record<IntegrityClass, string> = {
  intact: 'intact : le document n’a pas été modifié depuis sa signature (ou seulement par des ajouts autorisés)',
  partial: 'partiellement signé : une partie du fichier n’est couverte par aucune signature',
  modified: 'modifié après signature : des changements non autorisés ont été faits après la signature',
  broken: 'signature invalide : une signature ne correspond pas au contenu ou est altérée',
  unsigned: 'non signé : aucune signature trouvée',
  indeterminate: 'indéterminé : la vérification n’a pas pu aboutir avec les éléments disponibles',
}

export const TRUST_FR: Record<TrustStatus, string> = {
  trusted: 'de confiance',
  untrusted: 'non reconnu (aucune autorité de confiance connue ne garantit le certificat)',
  expired: 'certificat expiré',
  revoked: 'certificat révoqué',
  unknown: 'confiance non établie (révocation non vérifiée ou vérification incomplète)',
}

const INDICATION_FR: Record<SignatureReport['indication'], string> = {
  TOTAL_PASSED: 'VALIDE',
  TOTAL_FAILED: 'INVALIDE',
  INDETERMINATE: 'INDÉTERMINÉE',
}

const SUB_FR: Partial<Record<NonNullable<SignatureReport['subIndication']>, string>> = {
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
}

const FORMAT_FR: Record<SignatureReport['format'], string> = {
  PAdES: 'signature PDF (PAdES)',
  'PDF-PKCS7': 'signature PDF (PKCS#7)',
  'PDF-DocTimeStamp': 'horodatage de document PDF',
  CAdES: 'signature CAdES',
  CMS: 'signature CMS (PKCS#7)',
  XAdES: 'signature XML (XAdES)',
  XMLDSig: 'signature XML (XMLDSig)',
}

function dateFr(iso: string | null): string {
  if (!iso) return 'inconnue'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'medium' }) + ' (heure de Paris)'
}

function who(s: SignatureReport): string {
  if (!s.signer) return 'signataire inconnu'
  const parts = [s.signer.commonName ?? s.signer.subject]
  if (s.signer.organization) parts.push(s.signer.organization)
  return parts.join(', ')
}

/** Plain-words summary of one signature: one short headline, then details. */
export function signatureSummaryFr(s: SignatureReport, index: number): string[] {
  const lines: string[] = []
  const kind = FORMAT_FR[s.format]
  lines.push(`${index}. ${kind} de ${who(s)} : ${INDICATION_FR[s.indication]}${s.subIndication ? ` (${SUB_FR[s.subIndication] ?? s.subIndication})` : ''}`)
  if (s.format === 'PDF-DocTimeStamp') lines.push(`   Horodatage du ${dateFr(s.signingTime)}.`)
  else {
    lines.push(`   Heure de signature déclarée : ${dateFr(s.signingTime)}.`)
    if (s.timestamp) lines.push(`   Horodatage : ${dateFr(s.timestamp.time)}${s.timestamp.tsa ? ` par ${s.timestamp.tsa}` : ''}${s.timestamp.valid ? ' (valide)' : ` (NON valide${s.timestamp.message ? ` : ${localized('fr', s.timestamp, s.timestamp.message)}` : ''})`}.`)
    else lines.push('   Pas d’horodatage : l’heure de signature n’est pas prouvée.')
  }
  if (s.level) lines.push(`   Niveau : ${s.level}.`)
  lines.push(`   Intégrité : ${INTEGRITY_FR[s.integrity === 'unsigned' ? 'indeterminate' : s.integrity]}.`)
  lines.push(`   Couvre : ${localized('fr', s.coverage, s.coverage.description)}.`)
  if (s.signer) lines.push(`   Certificat : ${s.signer.subject}, émis par ${s.signer.issuer}, valable du ${s.signer.notBefore.slice(0, 10)} au ${s.signer.notAfter.slice(0, 10)}.`)
  lines.push(`   Confiance : ${TRUST_FR[s.trust]}.`)
  if (s.qualification) lines.push(`   Qualification : ${s.qualification}.`)
  const disallowed = s.changesAfter.filter((c) => !c.allowed)
  const allowed = s.changesAfter.filter((c) => c.allowed)
  if (disallowed.length > 0) lines.push(`   Modifié après la signature : ${disallowed.map((c) => localized('fr', c, c.description)).join(' ; ')}.`)
  if (allowed.length > 0) lines.push(`   Ajouts autorisés depuis : ${allowed.map((c) => localized('fr', c, c.description)).join(' ; ')}.`)
  const problems = s.checks.filter((c) => c.status === 'failed' || c.status === 'indeterminate' || c.status === 'warning')
  if (problems.length > 0) {
    lines.push('   Points relevés :')
    for (const p of problems.slice(0, 12)) lines.push(`     - [${p.status === 'failed' ? 'échec' : p.status === 'warning' ? 'avertissement' : 'non vérifié'}] ${localized('fr', p, p.message)}`)
  }
  return lines
}

/** Headline for the whole file, in one sentence. */
export function fileHeadlineFr(r: ValidationReport): string {
  if (r.fileType === 'unsupported') return 'Format de fichier non pris en charge : rien n’a pu être vérifié.'
  if (r.integrity === 'unsigned') return 'Ce fichier ne contient aucune signature.'
  const n = r.signatures.length
  const all = r.signatures.every((s) => s.indication === 'TOTAL_PASSED')
  if (r.integrity === 'intact' && all) return `Le document est authentique : ${n === 1 ? 'la signature est valide' : `les ${n} signatures sont valides`} et il n’a pas été modifié.`
  if (r.integrity === 'intact') return `Le document n’a pas été modifié depuis sa signature, mais ${n === 1 ? 'la signature n’est pas entièrement validée' : 'toutes les signatures ne sont pas entièrement validées'} (voir la confiance ci-dessous).`
  return `Attention : ${INTEGRITY_FR[r.integrity]}.`
}

export function reportTextFr(r: ValidationReport): string {
  const lines: string[] = ['RAPPORT DE VÉRIFICATION', '', `Fichier : ${r.file}`, `Vérifié le : ${dateFr(r.validationTime)}`, '', fileHeadlineFr(r), '']
  lines.push(`Intégrité du fichier : ${INTEGRITY_FR[r.integrity]}.`)
  if (r.signatures.length > 0) lines.push(`Confiance : ${TRUST_FR[r.trust]}.`)
  r.messages.forEach((m, i) => {
    const coded = r.messageRefs?.[i]
    lines.push(`Remarque : ${coded ? verificationText('fr', coded.code, coded.params, m, PARIS) : m}`)
  })
  r.signatures.forEach((s, i) => {
    lines.push('')
    lines.push(...signatureSummaryFr(s, i + 1))
  })
  return lines.join('\n')
}
