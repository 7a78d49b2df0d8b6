/**
 * An incremental update (ISO 32000-1 §7.5.6): new and rewritten objects appended after the original
 * bytes, then a cross-reference section whose /Prev is the file's last one. The section is an xref
 * stream when the previous one is (poppler does not follow a classic table whose /Prev is a stream),
 * else a classic table. New object numbers start past the trailer's /Size and every xref key, so no
 * live object is reused.
 */
import type { SourcePdf } from './source-pdf'
import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, serialize, type PdfObject } from '../../pdf'

/** Marker written in place of the /Contents hex string; the writer records where it lands. */
export class ContentsPlaceholder extends PdfRaw {
  constructor(readonly bytes: number) {
    super(`<${'0'.repeat(bytes * 2)}>`)
  }
}

/** Fixed-width /ByteRange: filled in once the offsets are known, without changing any length. */
export const BYTE_RANGE_PLACEHOLDER = new PdfRaw(`[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`)

export interface BuiltUpdate {
  /** the bytes to append after the original file (starts with an EOL when the file lacks one) */
  bytes: Buffer
  /** when a ContentsPlaceholder was written: the hole [start, end) in FILE offsets, '<' and '>' included */
  contents?: { start: number; end: number }
  /** /ByteRange as written (already filled) */
  byteRange?: [number, number, number, number]
  totalLength: number
}

export class IncrementalUpdate {
  private next: number
  private readonly objects = new Map<number, { ref: PdfRef; value: PdfObject }>()

  constructor(private readonly file: SourcePdf) {
    this.next = file.nextObjectNumber
  }

  allocate(): PdfRef {
    return new PdfRef(this.next++, 0)
  }

  /** Add or replace the object `ref` in this update. */
  set(ref: PdfRef, value: PdfObject): void {
    this.objects.set(ref.num, { ref, value })
  }

  add(value: PdfObject): PdfRef {
    const ref = this.allocate()
    this.set(ref, value)
    return ref
  }

  /**
   * Serialize the update to append after the `file`'s bytes. At most one ContentsPlaceholder may be
   * present (with BYTE_RANGE_PLACEHOLDER in the same dictionary): its ByteRange is filled here.
   */
  build(): BuiltUpdate {
    const base = this.file.size
    const chunks: Buffer[] = []
    let length = 0
    const push = (b: Buffer) => {
      chunks.push(b)
      length += b.length
    }
    const lastByte = this.file.lastByte
    if (lastByte !== 0x0a && lastByte !== 0x0d) push(Buffer.from('\n'))

    const offsets: { ref: PdfRef; offset: number }[] = []
    let contents: { start: number; end: number } | undefined
    let byteRangeAt: number | undefined
    const sorted = [...this.objects.values()].sort((a, b) => a.ref.num - b.ref.num)
    for (const { ref, value } of sorted) {
      offsets.push({ ref, offset: base + length })
      let text: string
      let data: Uint8Array | undefined
      if (value instanceof PdfStream) {
        // only streams built in memory (PdfStream.fromData) are written; a file's stream is never copied
        if (!value.inlineData) throw new Error(`stream ${ref.num} has no data to write`)
        const d = value.dict.clone().set('Length', value.inlineData.length)
        text = `${ref.num} ${ref.gen} obj\n${serialize(d)}\nstream\n`
        data = value.inlineData
      } else text = `${ref.num} ${ref.gen} obj\n${serialize(value)}\nendobj\n`
      if (value instanceof PdfDict) {
        for (const v of value.entries.values()) {
          if (v instanceof ContentsPlaceholder) {
            if (contents) throw new Error('two signature placeholders in one update')
            const at = text.indexOf(v.text)
            contents = { start: base + length + at, end: base + length + at + v.text.length }
          } else if (v === BYTE_RANGE_PLACEHOLDER) byteRangeAt = base + length + text.indexOf(v.text)
        }
      }
      push(Buffer.from(text, 'latin1'))
      if (data) {
        push(Buffer.from(data))
        push(Buffer.from('\nendstream\nendobj\n'))
      }
    }

    const xrefOffset = base + length
    const prev = this.file.startxref
    const t = this.file.trailer
    const trailer = new PdfDict()
    for (const k of ['Root', 'Info', 'ID'] as const) {
      const v = t.get(k)
      if (v !== undefined) trailer.set(k, v)
    }
    if (this.file.lastSectionIsStream) {
      const xrefRef = this.allocate()
      offsets.push({ ref: xrefRef, offset: xrefOffset })
      const width = Math.max(4, Math.ceil(Math.log2(xrefOffset + 1) / 8))
      const rows = Buffer.alloc(offsets.length * (1 + width + 2))
      const index: number[] = []
      let p = 0
      for (const group of consecutive(offsets)) {
        index.push(group[0]!.ref.num, group.length)
        for (const { ref, offset } of group) {
          rows[p++] = 1
          for (let i = width - 1; i >= 0; i--) rows[p++] = Math.floor(offset / 256 ** i) % 256
          rows[p++] = (ref.gen >> 8) & 0xff
          rows[p++] = ref.gen & 0xff
        }
      }
      const d = new PdfDict([
        ['Type', new PdfName('XRef')],
        ['Size', this.next],
        ['Index', index],
        ['W', [1, width, 2]],
        ['Prev', prev],
        ...trailer.entries,
        ['Length', rows.length],
      ])
      push(Buffer.from(`${xrefRef.num} 0 obj\n${serialize(d)}\nstream\n`, 'latin1'))
      push(rows)
      push(Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'))
    } else {
      let table = 'xref\n'
      for (const group of consecutive(offsets)) {
        table += `${group[0]!.ref.num} ${group.length}\n`
        for (const { ref, offset } of group) table += `${String(offset).padStart(10, '0')} ${String(ref.gen).padStart(5, '0')} n\r\n`
      }
      trailer.set('Size', this.next)
      trailer.set('Prev', prev)
      push(Buffer.from(`${table}trailer\n${serialize(trailer)}\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'))
    }

    const bytes = Buffer.concat(chunks)
    const totalLength = base + bytes.length
    let byteRange: BuiltUpdate['byteRange']
    if (contents) {
      if (byteRangeAt === undefined) throw new Error('signature placeholder without /ByteRange')
      byteRange = [0, contents.start, contents.end, totalLength - contents.end]
      const text = `[${byteRange.join(' ')}`
      const width = BYTE_RANGE_PLACEHOLDER.text.length
      if (text.length + 1 > width) throw new Error('file too large for the /ByteRange placeholder')
      bytes.write(text.padEnd(width - 1, ' ') + ']', byteRangeAt - base, 'latin1')
    }
    return { bytes, contents, byteRange, totalLength }
  }
}

function consecutive<T extends { ref: PdfRef }>(items: T[]): T[][] {
  const groups: T[][] = []
  for (const it of [...items].sort((a, b) => a.ref.num - b.ref.num)) {
    const g = groups[groups.length - 1]
    if (g && g[g.length - 1]!.ref.num + 1 === it.ref.num) g.push(it)
    else groups.push([it])
  }
  return groups
}
