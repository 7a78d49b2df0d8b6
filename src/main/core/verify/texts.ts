/**
 * How the engine writes its texts: a stable code and parameters (src/shared/verification-text), with
 * the English text derived from the catalogue as the `message` / `description` fallback that the
 * JSON output, the English CLI and older readers use.
 */
import type { CheckResult, MessageParams, MessageRef, SignatureReport } from '../../../shared/model/validation'
import { verificationText } from '../../../shared/verification-text'

export interface CodedText {
  message: string
  code: string
  params?: MessageParams
}

/** A coded text with its English rendering in `message`. */
export function text(code: string, params?: MessageParams): CodedText {
  return { message: verificationText('en', code, params, code), code, ...(params ? { params } : {}) }
}

/** A coded text as a parameter of another one (or as a file-message reference). */
export function ref(code: string, params?: MessageParams): MessageRef {
  return { code, ...(params ? { params } : {}) }
}

export function refOf(t: CodedText): MessageRef {
  return ref(t.code, t.params)
}

export function check(id: string, status: CheckResult['status'], code: string, params?: MessageParams): CheckResult {
  return { id, status, ...text(code, params) }
}

export function coverage(kind: SignatureReport['coverage']['kind'], code: string, params?: MessageParams): SignatureReport['coverage'] {
  const t = text(code, params)
  return { kind, description: t.message, code, ...(params ? { params } : {}) }
}

/** File-level messages: the English strings and their codes, kept in step. */
export class FileMessages {
  readonly messages: string[] = []
  readonly messageRefs: (MessageRef | null)[] = []

  add(code: string, params?: MessageParams): void {
    this.push(text(code, params))
  }

  push(t: CodedText): void {
    this.messages.push(t.message)
    this.messageRefs.push(refOf(t))
  }

  static of(code: string, params?: MessageParams): FileMessages {
    const m = new FileMessages()
    m.add(code, params)
    return m
  }

  /** `{ messages, messageRefs }` to spread into a FormatVerification. */
  fields(): { messages: string[]; messageRefs: (MessageRef | null)[] } {
    return { messages: this.messages, messageRefs: this.messageRefs }
  }
}

/** An error whose reason the engine can show in the reader's language. */
export class CodedError extends Error {
  constructor(readonly coded: CodedText) {
    super(coded.message)
    this.name = 'CodedError'
  }
}
