// The shared XML helpers: encodings, safe parsing, canonicalization (W3C spec examples), byte spans.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalize } from '../../../../src/main/core/xml/c14n'
import { applyByteEdits, elementOrderIndexes, scanElementSpans } from '../../../../src/main/core/xml/element-spans'
import { decodeXml, detectXmlEncoding, encodeXmlText, XmlEncodingError } from '../../../../src/main/core/xml/encoding'
import { parseXmlBytesLite, parseXmlLite } from '../../../../src/main/core/xml/lite-dom'
import { parseXml, parseXmlText, XmlParseError } from '../../../../src/main/core/xml/parse'

const latin1 = (s: string) => Buffer.from(s, 'latin1')

describe('encodings', () => {
  it('reads the declared encoding and decodes ISO-8859-1 byte for byte (not as windows-1252)', () => {
    const bytes = latin1('<?xml version="1.0" encoding="ISO-8859-1"?><a>\u00e9\u0085\u0080</a>')
    const enc = detectXmlEncoding(bytes)
    expect(enc).toEqual({ encoding: 'ISO-8859-1', declared: 'ISO-8859-1', bomLength: 0 })
    // 0x80 is U+0080 in ISO-8859-1 (windows-1252 would say U+20AC)
    expect(decodeXml(bytes, enc)).toContain('\u00e9\u0085\u0080')
  })

  it('defaults to UTF-8, skips a UTF-8 BOM, rejects UTF-16 and unknown encodings in plain words', () => {
    expect(detectXmlEncoding(Buffer.from('<a/>'))).toEqual({ encoding: 'UTF-8', declared: null, bomLength: 0 })
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>')])
    expect(decodeXml(bom)).toBe('<a>é</a>')
    expect(() => detectXmlEncoding(Buffer.from('\ufeff<a/>', 'utf16le'))).toThrow(/UTF-16/)
    expect(() => detectXmlEncoding(latin1('<?xml version="1.0" encoding="EBCDIC-FR"?><a/>'))).toThrow(XmlEncodingError)
    expect(() => decodeXml(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))).toThrow(/not valid UTF-8/)
  })

  it('encodes characters outside the encoding as numeric character references', () => {
    expect(encodeXmlText('é – €', 'ISO-8859-1')).toEqual(latin1('é &#8211; &#8364;'))
    expect(encodeXmlText('é €', 'windows-1252')).toEqual(Buffer.from([0xe9, 0x20, 0x80]))
    expect(decodeXml(Buffer.from([0x80, 0x9c, 0xe9]), { encoding: 'windows-1252', declared: 'windows-1252', bomLength: 0 })).toBe('€œé')
    expect(decodeXml(Buffer.from([0xa4, 0xe9]), { encoding: 'ISO-8859-15', declared: 'ISO-8859-15', bomLength: 0 })).toBe('€é')
    expect(encodeXmlText('€¤', 'ISO-8859-15')).toEqual(Buffer.from('\xa4&#164;', 'latin1'))
    expect(encodeXmlText('é', 'US-ASCII').toString()).toBe('&#233;')
    expect(encodeXmlText('é 😀', 'UTF-8').toString('utf8')).toBe('é 😀')
    expect(encodeXmlText('😀', 'ISO-8859-1').toString('latin1')).toBe('&#128512;')
  })
})

describe('safe parsing', () => {
  it('refuses DOCTYPEs, entity declarations and external DTDs, and malformed XML, with an XmlParseError', () => {
    expect(() => parseXmlText('<!DOCTYPE a><a/>')).toThrow(/DOCTYPE/)
    expect(() => parseXmlText('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', { allowDoctype: true })).toThrow(/entities/)
    expect(() => parseXmlText('<!DOCTYPE a SYSTEM "http://example.org/a.dtd"><a/>', { allowDoctype: true })).toThrow(/external/)
    expect(() => parseXmlText('<a><b></a>')).toThrow(XmlParseError)
    expect(() => parseXml(Buffer.alloc(0))).toThrow(/empty/)
    expect(parseXmlText('<!DOCTYPE a><a/>', { allowDoctype: true }).root.tagName).toBe('a')
  })

  it('normalizes line ends as XML 1.0 does: CR LF and CR become LF, U+0085 and U+2028 stay', () => {
    const { root } = parseXmlText('<a>1\r\n2\r3\u00854\u20285</a>')
    expect(root.textContent).toBe('1\n2\n3\u00854\u20285')
  })
})

describe('canonicalization', () => {
  it('exclusive vs inclusive c14n of a subtree (Exclusive XML Canonicalization 1.0, section 2.2)', () => {
    const { document } = parseXmlText(
      '<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>',
    )
    const elem2 = document.getElementsByTagName('n1:elem2')[0]!
    expect(canonicalize(elem2, { method: 'exc-c14n' })).toBe(
      '<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    )
    expect(canonicalize(elem2, { method: 'c14n' })).toBe(
      '<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" xml:lang="en"><n3:stuff></n3:stuff></n1:elem2>',
    )
    expect(canonicalize(elem2, { method: 'exc-c14n', inclusiveNamespacePrefixes: ['n0'] })).toBe(
      '<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>',
    )
  })

  it('PIs and comments outside the root, with and without comments (Canonical XML 1.0, example 3.1)', () => {
    const { document } = parseXmlText(
      '<?xml version="1.0"?>\n\n<?xml-stylesheet   href="doc.xsl"\n   type="text/xsl"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->',
    )
    expect(canonicalize(document, { method: 'c14n' })).toBe('<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>')
    expect(canonicalize(document, { method: 'exc-c14n', withComments: true })).toBe(
      '<?xml-stylesheet href="doc.xsl"\n   type="text/xsl"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->',
    )
  })

  it('character modifications and references (Canonical XML 1.0, example 3.4)', () => {
    const { root } = parseXmlText(
      `<doc><text>First line&#x0d;&#10;Second line</text><value>&#x32;</value><compute><![CDATA[value>"0" && value<"10" ?"valid":"error"]]></compute><compute expr='value>"0" &amp;&amp; value&lt;"10" ?"valid":"error"'>valid</compute><norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/></doc>`,
    )
    expect(canonicalize(root, { method: 'c14n' })).toBe(
      '<doc><text>First line&#xD;\nSecond line</text><value>2</value><compute>value&gt;"0" &amp;&amp; value&lt;"10" ?"valid":"error"</compute>' +
        '<compute expr="value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;">valid</compute>' +
        '<norm attr=" \'    &#xD;&#xA;&#x9;   \' "></norm></doc>',
    )
  })

  it('sorts namespaces and attributes, drops superfluous declarations, renders xmlns="" only when needed', () => {
    const { root } = parseXmlText('<a xmlns="urn:d" xmlns:b="urn:b" z="1" b:y="2" a="3"><c xmlns="urn:d"><e xmlns=""/></c></a>')
    expect(canonicalize(root, { method: 'exc-c14n' })).toBe('<a xmlns="urn:d" xmlns:b="urn:b" a="3" z="1" b:y="2"><c><e xmlns=""></e></c></a>')
    const { root: r2 } = parseXmlText('<a><e xmlns=""/></a>')
    expect(canonicalize(r2, { method: 'exc-c14n' })).toBe('<a><e></e></a>')
  })

  it('leaves out excluded nodes (enveloped-signature transform)', () => {
    const { root } = parseXmlText('<a>x<sig><b/></sig>y</a>')
    expect(canonicalize(root, { method: 'exc-c14n', exclude: (n) => (n as unknown as { nodeName: string }).nodeName === 'sig' })).toBe('<a>xy</a>')
  })
})

describe('element spans in the original bytes', () => {
  it('finds each element despite comments, CDATA, PIs and ">" in attribute values', () => {
    const text = `<?xml version="1.0"?><!-- <B> --><r a=">"><B Id="1"><![CDATA[</B>]]></B><?p <B>?><B Id='2'/></r>`
    const bytes = Buffer.from(text)
    const spans = scanElementSpans(bytes)
    expect(spans.count).toBe(3)
    const { root } = parseXml(bytes)
    const [b1, b2] = Array.from(root.getElementsByTagName('B'))
    const order = elementOrderIndexes(root, [b1!, b2!])
    expect(order.get(b1!)).toBe(1)
    expect(order.get(b2!)).toBe(2)
    expect(text.slice(spans.endTagStart[1], spans.endTagStart[1]! + 4)).toBe('</B>')
    expect(spans.selfClosing[2]).toBe(1)
    expect(text.slice(spans.endTagStart[2], spans.endTagStart[2]! + 2)).toBe('/>')
    const edited = applyByteEdits(bytes, [{ at: spans.endTagStart[1]!, remove: 0, insert: Buffer.from('<S/>') }])
    expect(edited.toString()).toBe(text.replace(']]></B>', ']]><S/></B>'))
  })
})

describe('lite parser', () => {
  const fixtures = join(__dirname, '..', '..', '..', 'fixtures', 'pes')
  const files = ['signed', 'unsigned'].flatMap((d) => readdirSync(join(fixtures, d)).map((f) => join(fixtures, d, f)))

  it.each(files)('%s: same canonical form as with @xmldom/xmldom', (file) => {
    const bytes = readFileSync(file)
    const lite = parseXmlBytesLite(bytes)
    const dom = parseXml(bytes)
    for (const method of ['exc-c14n', 'c14n'] as const) {
      expect(canonicalize(lite.document, { method, withComments: true })).toBe(canonicalize(dom.document, { method, withComments: true }))
    }
  })

  it('canonicalizes documents nested up to the depth limit', () => {
    const deep = '<a>'.repeat(1000) + 'x' + '</a>'.repeat(1000)
    expect(canonicalize(parseXmlLite(deep).root, { method: 'exc-c14n' })).toBe(deep)
  })

  it('gives the same result as xmldom on tricky constructs', () => {
    const text = `<?xml version="1.0"?>\r\n<?pi  data ?><r xmlns="urn:d" xmlns:p="urn:p" a='x&#9;y&#10;z\tw' p:b="&lt;&amp;&gt;&quot;&apos;"><p:c xmlns="">t&#x20AC;<![CDATA[<&>]]></p:c><e xml:lang="fr"/><!--c--></r>\r\n`
    for (const method of ['exc-c14n', 'c14n'] as const) {
      expect(canonicalize(parseXmlLite(text).document, { method, withComments: true })).toBe(canonicalize(parseXmlText(text).document, { method, withComments: true }))
    }
  })

  it.each([
    ['<a><b></a>', /does not match/],
    ['<a>&nbsp;</a>', /entity not found/],
    ['<a>x & y</a>', /reference/],
    ['<a b="1" b="2"/>', /repeated/],
    ['<p:a/>', /undeclared namespace prefix/],
    ['<a/><b/>', /more than one root/],
    ['<a b="<"/>', /"<"/],
    ['<a>\u0001</a>', /characters XML does not allow/],
    ['<a><!-- x -- y --></a>', /inside a comment/],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a/>', /DOCTYPE|entities/],
    ['text<a/>', /outside the root/],
    ['<a>', /unclosed/],
    ['<a>'.repeat(1001) + '</a>'.repeat(1001), /nested deeper/],
  ])('refuses %s', (text, message) => {
    expect(() => parseXmlLite(text)).toThrow(message)
    expect(() => parseXmlLite(text)).toThrow(XmlParseError)
  })
})
