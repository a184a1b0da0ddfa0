import { isIP } from 'node:net'

/**
 * Who may call over HTTP, as geth decides it (node/rpcstack.go): the Host header against
 * --http.vhosts, and the Origin header against --http.corsdomain (github.com/rs/cors semantics).
 */
export interface HttpAccess {
  corsDomains: string[]
  vhosts: string[]
}

/** geth's virtualHostHandler: no Host, an IP address, '*' or a listed name passes (case-insensitive). */
export function hostAllowed(hostHeader: string | undefined, vhosts: string[]): boolean {
  if (!hostHeader) return true
  const host = hostName(hostHeader)
  if (isIP(host) !== 0) return true
  const allowed = vhosts.map((v) => v.toLowerCase())
  return allowed.includes('*') || allowed.includes(host.toLowerCase())
}

/** The host of a Host header, without its port (Go's net.SplitHostPort, falling back to the whole value). */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header)
  if (bracketed) return bracketed[1]
  const parts = header.split(':')
  return parts.length === 2 ? parts[0] : header
}

/**
 * The Access-Control-Allow-Origin value for `origin`, or undefined when CORS does not allow it
 * (then the browser keeps the answer from the page; the request itself is still served, as in geth).
 */
export function allowedOrigin(origin: string | undefined, corsDomains: string[]): string | undefined {
  if (corsDomains.includes('*')) return '*'
  if (!origin) return undefined
  const lower = origin.toLowerCase()
  return corsDomains.some((pattern) => originMatches(lower, pattern.toLowerCase())) ? origin : undefined
}

/** rs/cors patterns: exact, or one '*' standing for any run of characters ("http://*.example.com"). */
function originMatches(origin: string, pattern: string): boolean {
  const star = pattern.indexOf('*')
  if (star === -1) return origin === pattern
  const prefix = pattern.slice(0, star)
  const suffix = pattern.slice(star + 1)
  return origin.length >= prefix.length + suffix.length && origin.startsWith(prefix) && origin.endsWith(suffix)
}
