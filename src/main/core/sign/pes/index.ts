export {
  isPesAller,
  looksLikePesAller,
  PES_ALLER_NS,
  PesError,
  type PesSignatureResult,
  type PesTarget,
  signPes,
  type SignPesOptions,
  type SignPesResult,
} from './sign-pes'
