/** Thrown when an input file of the caller (the file to verify, the detached content) cannot be read: an I/O error, not a verdict (the CLI exits 2). */
export class VerifyInputError extends Error {
  override name = 'VerifyInputError'
}
