export { signXml, type SignXmlOptions, type SignXmlResult, type XadesMode } from './sign-xml'
export { buildXadesSignature, type BuildSignatureInput, type SignedReference, type XadesVersion } from './signature-builder'
export { signingCertificateFacts, type SigningCertificateFacts } from './certificate'
export { HELIOS_POLICY_ID, loadSignaturePolicy, loadSignaturePolicyFile, parseSignaturePolicy, toSignaturePolicy, type SignaturePolicyFile } from './policy'
export {
  type ProductionPlace,
  type SignaturePolicy,
  TimestampFailedError,
  type TimestampRequester,
  type XadesLevel,
  XadesSignError,
} from './types'
