/**
 * Where each element sits in the ORIGINAL bytes of a document, so that content can be inserted
 * without re-serializing anything (PES V2 signatures go right before a bordereau's end tag).
 * Works on ASCII-compatible encodings, where markup characters are single bytes that never occur
 * inside a multi-byte character. Elements come in document order, the order of a DOM traversal.
 */
import type { Node } from './c14n'

export class XmlScanError extends Error {
  override readonly name = 'XmlScanError'
}

export interface ElementSpans {
  /** offset of '<' of the start tag */
  start: Int32Array
  /** offset of '</' of the end tag, or of '/>' for an empty-element tag */
  endTagStart: Int32Array
  /** 1 when written as an empty-element tag `<x/>` */
  selfClosing: Uint8Array
  count: number
}

const LT = 0x3c
const GT = 0x3e
const SLASH = 0x2f
const BANG = 0x21
const QMARK = 0x3f
const DQ = 0x22
const SQ = 0x27

function indexOfSeq(b: Buffer, seq: string, from: number): number {
  const i = b.indexOf(seq, from, 'latin1')
  if (i < 0) throw new XmlScanError(`unterminated markup: "${seq}" expected`)
  return i
}

function startsWith(b: Uint8Array, at: number, s: string): boolean {
  if (at + s.length > b.length) return false
  for (let k = 0; k < s.length; k++) if (b[at + k] !== s.charCodeAt(k)) return false
  return true
}

/** Scan the bytes of a well-formed document (parse it first) and return the span of every element. */
export function scanElementSpans(input: Uint8Array): ElementSpans {
  // Buffer.indexOf is a native memchr; TypedArray.prototype.indexOf is not
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.length)
  let cap = 1024
  let start = new Int32Array(cap)
  let endTagStart = new Int32Array(cap)
  let selfClosing = new Uint8Array(cap)
  let count = 0
  const open: number[] = []
  const n = bytes.length
  let i = 0
  while (i < n) {
    const lt = bytes.indexOf(LT, i)
    if (lt < 0) break
    const c = bytes[lt + 1]
    if (c === BANG) {
      if (startsWith(bytes, lt, '<!--')) i = indexOfSeq(bytes, '-->', lt + 4) + 3
      else if (startsWith(bytes, lt, '<![CDATA[')) i = indexOfSeq(bytes, ']]>', lt + 9) + 3
      else {
        // DOCTYPE: skip to the '>' outside quotes and outside the internal subset
        let j = lt + 2
        let depth = 0
        let quote = 0
        for (; j < n; j++) {
          const b = bytes[j]
          if (quote) {
            if (b === quote) quote = 0
          } else if (b === DQ || b === SQ) quote = b
          else if (b === 0x5b) depth++
          else if (b === 0x5d) depth--
          else if (b === GT && depth <= 0) break
        }
        if (j >= n) throw new XmlScanError('unterminated DOCTYPE')
        i = j + 1
      }
    } else if (c === QMARK) {
      i = indexOfSeq(bytes, '?>', lt + 2) + 2
    } else if (c === SLASH) {
      const gt = bytes.indexOf(GT, lt + 2)
      if (gt < 0) throw new XmlScanError('unterminated end tag')
      const idx = open.pop()
      if (idx === undefined) throw new XmlScanError('end tag without a start tag')
      endTagStart[idx] = lt
      i = gt + 1
    } else {
      let j = lt + 1
      let quote = 0
      for (; j < n; j++) {
        const b = bytes[j]
        if (quote) {
          if (b === quote) quote = 0
        } else if (b === DQ || b === SQ) quote = b
        else if (b === GT) break
      }
      if (j >= n) throw new XmlScanError('unterminated start tag')
      if (count === cap) {
        cap *= 2
        const s2 = new Int32Array(cap)
        s2.set(start)
        start = s2
        const e2 = new Int32Array(cap)
        e2.set(endTagStart)
        endTagStart = e2
        const c2 = new Uint8Array(cap)
        c2.set(selfClosing)
        selfClosing = c2
      }
      start[count] = lt
      if (bytes[j - 1] === SLASH) {
        selfClosing[count] = 1
        endTagStart[count] = j - 1
      } else open.push(count)
      count++
      i = j + 1
    }
  }
  if (open.length > 0) throw new XmlScanError('unclosed element')
  return { start, endTagStart, selfClosing, count }
}

/** Document-order index of each target element (the index into ElementSpans). */
export function elementOrderIndexes<E extends Node>(root: E, targets: readonly E[]): Map<E, number> {
  const wanted = new Set<Node>(targets)
  const result = new Map<E, number>()
  let index = 0
  // iterative pre-order walk: PES files can be deep and large
  const stack: Node[] = [root]
  while (stack.length > 0 && result.size < wanted.size) {
    const node = stack.pop() as Node
    if (wanted.has(node)) result.set(node as E, index)
    index++
    const kids: Node[] = []
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) kids.push(c)
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k] as Node)
  }
  return result
}

export interface ByteEdit {
  /** offset in the original bytes */
  at: number
  /** bytes of the original removed at `at` (0 for a pure insertion) */
  remove: number
  insert: Uint8Array
}

/** Apply non-overlapping edits in one pass; every byte outside them is copied unchanged. */
export function applyByteEdits(bytes: Uint8Array, edits: readonly ByteEdit[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.at - b.at)
  const parts: Uint8Array[] = []
  let pos = 0
  for (const e of sorted) {
    if (e.at < pos) throw new XmlScanError('overlapping edits')
    parts.push(bytes.subarray(pos, e.at), e.insert)
    pos = e.at + e.remove
  }
  parts.push(bytes.subarray(pos))
  return Buffer.concat(parts)
}
