// A feed server on 127.0.0.1 for the download tests: serves files with an ETag and
// Last-Modified, answers conditional requests with 304, and can be told to fail or hang.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LocalFeedServer {
  url: (path: string) => string
  files: Map<string, { body: string | Uint8Array; etag: string; lastModified: string }>
  /** Paths answered with this status instead of the file. */
  failWith: Map<string, number>
  /** Paths that never answer (for timeouts). */
  hang: Set<string>
  requests: { path: string; headers: IncomingHttpHeaders }[]
  close: () => Promise<void>
}

export async function startLocalFeedServer(): Promise<LocalFeedServer> {
  const files: LocalFeedServer['files'] = new Map()
  const failWith = new Map<string, number>()
  const hang = new Set<string>()
  const requests: LocalFeedServer['requests'] = []
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push({ path, headers: req.headers })
    if (hang.has(path)) return
    const status = failWith.get(path)
    if (status !== undefined) {
      res.writeHead(status).end('nope')
      return
    }
    const file = files.get(path)
    if (!file) {
      res.writeHead(404).end()
      return
    }
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ETag: file.etag }).end()
      return
    }
    res.writeHead(200, {
      ETag: file.etag,
      'Last-Modified': file.lastModified,
      'Content-Type': 'text/plain',
    })
    res.end(file.body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    files,
    failWith,
    hang,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
