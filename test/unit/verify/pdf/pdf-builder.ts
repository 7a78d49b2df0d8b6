/**
 * Builds small PDFs byte by byte for tests: a first revision and incremental updates, with a
 * classic xref table or an xref stream (optionally with objects in an object stream).
 */
import { deflateSync } from 'node:zlib'

export interface BuildObject {
  num: number
  /** body between `obj` and `endobj`; for streams give `stream` instead */
  body?: string
  stream?: { dict: string; data: Buffer | string }
}

export interface RevisionSpec {
  objects: BuildObject[]
  root: number
  info?: number
  /** 'table' (default) or 'stream' (xref stream, objects given in `compressed` go into an object stream) */
  xref?: 'table' | 'stream'
  compressed?: BuildObject[]
  /** extra trailer entries, e.g. '/Encrypt 9 0 R' */
  trailerExtra?: string
  /** objects freed by this revision */
  free?: number[]
}

function objectBytes(o: BuildObject): Buffer {
  if (o.stream) {
    const data = Buffer.isBuffer(o.stream.data) ? o.stream.data : Buffer.from(o.stream.data, 'latin1')
    const dict = o.stream.dict.includes('/Length') ? o.stream.dict : o.stream.dict.replace(/>>\s*$/, ` /Length ${data.length}>>`)
    return Buffer.concat([Buffer.from(`${o.num} 0 obj\n${dict}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')])
  }
  return Buffer.from(`${o.num} 0 obj\n${o.body ?? 'null'}\nendobj\n`, 'latin1')
}

/** Appends one revision to `prev` (empty buffer for the first) and returns the whole file. */
export function appendRevision(prev: Buffer, spec: RevisionSpec): Buffer {
  const parts: Buffer[] = [prev]
  let pos = prev.length
  if (prev.length === 0) {
    const header = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')
    parts.push(header)
    pos += header.length
  }
  const offsets = new Map<number, number>()
  for (const o of spec.objects) {
    const b = objectBytes(o)
    offsets.set(o.num, pos)
    parts.push(b)
    pos += b.length
  }
  const prevStartxref = prev.length ? Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(prev.toString('latin1'))?.[1]) : null
  const allNums = [...offsets.keys(), ...(spec.compressed ?? []).map((o) => o.num), ...(spec.free ?? [])]
  const maxNum = Math.max(0, ...allNums, ...(prev.length ? [Number(/\/Size (\d+)/.exec(prev.toString('latin1').slice(-4000))?.[1] ?? 0) - 1] : []))
  if ((spec.xref ?? 'table') === 'table') {
    const entries = new Map<number, string>()
    if (prev.length === 0) entries.set(0, '0000000000 65535 f\r\n')
    for (const [n, off] of offsets) entries.set(n, `${String(off).padStart(10, '0')} 00000 n\r\n`)
    for (const n of spec.free ?? []) entries.set(n, '0000000000 00001 f\r\n')
    const nums = [...entries.keys()].sort((a, b) => a - b)
    let xref = 'xref\n'
    for (let i = 0; i < nums.length; ) {
      let j = i
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++
      xref += `${nums[i]} ${j - i + 1}\n` + nums.slice(i, j + 1).map((n) => entries.get(n)).join('')
      i = j + 1
    }
    const trailer = `trailer\n<</Size ${maxNum + 1} /Root ${spec.root} 0 R${spec.info ? ` /Info ${spec.info} 0 R` : ''}${prevStartxref !== null ? ` /Prev ${prevStartxref}` : ''}${spec.trailerExtra ? ' ' + spec.trailerExtra : ''}>>\n`
    parts.push(Buffer.from(`${xref}${trailer}startxref\n${pos}\n%%EOF\n`, 'latin1'))
    return Buffer.concat(parts)
  }
  // xref stream, with an object stream for `compressed`
  const rows: [number, number, number, number][] = []
  if (spec.compressed?.length) {
    const stmNum = maxNum + 1
    let header = ''
    let body = ''
    spec.compressed.forEach((o, i) => {
      header += `${o.num} ${body.length} `
      body += (o.body ?? 'null') + '\n'
      rows.push([o.num, 2, stmNum, i])
    })
    const data = deflateSync(Buffer.from(header + body, 'latin1'))
    const stm = objectBytes({ num: stmNum, stream: { dict: `<</Type /ObjStm /N ${spec.compressed.length} /First ${header.length} /Filter /FlateDecode>>`, data } })
    offsets.set(stmNum, pos)
    parts.push(stm)
    pos += stm.length
  }
  const xrefNum = Math.max(maxNum, ...offsets.keys()) + 1
  offsets.set(xrefNum, pos)
  for (const [n, off] of offsets) rows.push([n, 1, off, 0])
  for (const n of spec.free ?? []) rows.push([n, 0, 0, 1])
  if (prev.length === 0) rows.push([0, 0, 0, 65535])
  rows.sort((a, b) => a[0] - b[0])
  const index: number[] = []
  const data: number[] = []
  for (const r of rows) {
    index.push(r[0], 1)
    data.push(r[1], (r[2] >>> 24) & 255, (r[2] >>> 16) & 255, (r[2] >>> 8) & 255, r[2] & 255, (r[3] >>> 8) & 255, r[3] & 255)
  }
  const xs = objectBytes({
    num: xrefNum,
    stream: {
      dict: `<</Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Index [${index.join(' ')}] /Root ${spec.root} 0 R${spec.info ? ` /Info ${spec.info} 0 R` : ''}${prevStartxref !== null ? ` /Prev ${prevStartxref}` : ''}${spec.trailerExtra ? ' ' + spec.trailerExtra : ''}>>`,
      data: Buffer.from(data),
    },
  })
  parts.push(xs)
  parts.push(Buffer.from(`startxref\n${pos}\n%%EOF\n`, 'latin1'))
  return Buffer.concat(parts)
}

/** A one-page document: 1 catalog, 2 pages, 3 page, 4 content, 5 font. */
export function simpleDocument(xref: 'table' | 'stream' = 'table', text = 'Hello'): Buffer {
  return appendRevision(Buffer.alloc(0), {
    root: 1,
    xref,
    objects: [
      { num: 1, body: '<</Type /Catalog /Pages 2 0 R>>' },
      { num: 2, body: '<</Type /Pages /Kids [3 0 R] /Count 1>>' },
      { num: 3, body: '<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>>>' },
      { num: 4, stream: { dict: '<<>>', data: `BT /F1 12 Tf 20 100 Td (${text}) Tj ET` } },
      { num: 5, body: '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>' },
    ],
  })
}
