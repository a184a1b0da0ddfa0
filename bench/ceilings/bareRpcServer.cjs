// The least a JSON-RPC server on node:http does to answer eth_blockNumber, for bench/ceilings/httpCeiling.ts:
// read the body, parse it, answer a constant result under the request's id. olnode's RPC server runs on
// node:http, so it can answer no faster than this. Listens on 127.0.0.1 at the port given, then says so.
const http = require('node:http')

const PARSE_ERROR = { code: -32700, message: 'parse error' }

function answer(text) {
  try {
    return { jsonrpc: '2.0', id: JSON.parse(text).id ?? null, result: '0x0' }
  } catch {
    return { jsonrpc: '2.0', id: null, error: PARSE_ERROR }
  }
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const body = JSON.stringify(answer(Buffer.concat(chunks).toString('utf8')))
    res.writeHead(200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body))])
    res.end(body)
  })
})
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'))
