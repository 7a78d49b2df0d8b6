/** Registers the PDF verifier with the verification registry (imported by ../formats.ts). */
import { registerFormatVerifier } from '../registry'
import { detectPdf, verifyPdfFormat } from './verify-pdf'

registerFormatVerifier({ id: 'pdf', detect: (head) => detectPdf(head), verify: verifyPdfFormat })
