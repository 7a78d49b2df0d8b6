/**
 * The one door to the network for TSA, OCSP and CRL/AIA fetches. Injected everywhere (tests run
 * servers on 127.0.0.1; the app may add a proxy later) so no core module calls fetch() directly.
 */
import http from 'node:http'
import https from 'node:https'

export interface HttpResponse {
  status: number
  /** Content-Type header without parameters, lower case ('' when absent) */
  contentType: string
  body: Uint8Array
}

export interface HttpRequestOptions {
  timeoutMs?: number
  signal?: AbortSignal
}

export interface HttpClient {
  post(url: string, body: Uint8Array, contentType: string, opts?: HttpRequestOptions): Promise<HttpResponse>
  get(url: string, opts?: HttpRequestOptions): Promise<HttpResponse>
}

export type HttpErrorKind = 'timeout' | 'network' | 'too-large' | 'bad-url' | 'aborted'

/** A transport failure (no HTTP answer we can use). HTTP error statuses are returned, not thrown. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    readonly url: string,
  ) {
    super(message)
  }
}

export interface NodeHttpClientOptions {
  /** default timeout for a whole request (connect + answer), ms */
  timeoutMs?: number
  /** responses larger than this are refused (hostile or broken servers), bytes */
  maxResponseBytes?: number
  userAgent?: string
}

const DEFAULT_TIMEOUT_MS = 15_000
const DEFAULT_MAX_RESPONSE = 16 * 1024 * 1024

export function createNodeHttpClient(options: NodeHttpClientOptions = {}): HttpClient {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE
  const userAgent = options.userAgent ?? 'Paraphe'

  function request(method: 'GET' | 'POST', url: string, body: Uint8Array | undefined, contentType: string | undefined, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return Promise.reject(new HttpError(`invalid URL: ${url}`, 'bad-url', url))
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return Promise.reject(new HttpError(`unsupported URL scheme ${parsed.protocol} (http or https only): ${url}`, 'bad-url', url))
    }
    if (opts.signal?.aborted) return Promise.reject(new HttpError(`request to ${url} cancelled`, 'aborted', url))
    const lib = parsed.protocol === 'https:' ? https : http
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false
      const finish = (err: HttpError | null, res?: HttpResponse) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        if (err) {
          req.destroy()
          reject(err)
        } else resolve(res!)
      }
      const headers: Record<string, string | number> = { 'user-agent': userAgent, accept: '*/*' }
      if (body) {
        headers['content-type'] = contentType ?? 'application/octet-stream'
        headers['content-length'] = body.byteLength
      }
      const req = lib.request(parsed, { method, headers }, (res) => {
        const declared = Number(res.headers['content-length'])
        if (Number.isFinite(declared) && declared > maxBytes) {
          finish(new HttpError(`answer from ${url} is too large (${declared} bytes, limit ${maxBytes})`, 'too-large', url))
          return
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > maxBytes) {
            finish(new HttpError(`answer from ${url} is too large (over ${maxBytes} bytes)`, 'too-large', url))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () => {
          const ct = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
          finish(null, { status: res.statusCode ?? 0, contentType: ct, body: new Uint8Array(Buffer.concat(chunks)) })
        })
        res.on('error', (err) => finish(new HttpError(`connection to ${url} failed while reading: ${err.message}`, 'network', url)))
      })
      const timer = setTimeout(() => finish(new HttpError(`no answer from ${url} within ${timeoutMs} ms`, 'timeout', url)), timeoutMs)
      const onAbort = () => finish(new HttpError(`request to ${url} cancelled`, 'aborted', url))
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      req.on('error', (err) => finish(new HttpError(`cannot reach ${url}: ${err.message}`, 'network', url)))
      if (body) req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
      else req.end()
    })
  }

  return {
    post: (url, body, contentType, opts) => request('POST', url, body, contentType, opts),
    get: (url, opts) => request('GET', url, undefined, undefined, opts),
  }
}
