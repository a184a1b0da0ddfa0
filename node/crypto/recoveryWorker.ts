/**
 * The program each recovery worker runs: for each raw signed transaction it is sent, the hash the
 * signature signs, and the public key that signed it, keyed as recoveredKeys.ts keys them. It runs from
 * its source text (Worker eval), so the bundle and the test runner need no separate file for it, and it
 * may use nothing from this module's scope: only `require` and what `workerData` names.
 */
export interface RecoveryWorkerData {
  /** Resolved entry points, since an eval'd worker resolves bare names from the working directory. */
  rlp: string
  secp256k1: string
  hashWasm: string
}

/** What a worker answers for one raw transaction: the recovery's key and the 65-byte public key, or null. */
export type WorkerRecovery = [key: string, publicKey: Uint8Array] | null

/**
 * What a worker posts: once, that its modules are loaded (terminating it before then may abort the whole
 * process, when an N-API addon's init is cut off); then the answer to each batch.
 */
export type WorkerMessage = { ready: true } | { id: number; recoveries: WorkerRecovery[] }

async function recoveryWorkerMain(require: NodeJS.Require): Promise<void> {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads')
  const paths = workerData as RecoveryWorkerData
  const { RLP } = require(paths.rlp) as typeof import('@ethereumjs/rlp')
  const secp = require(paths.secp256k1) as { ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array }
  const { createKeccak } = require(paths.hashWasm) as typeof import('hash-wasm')
  const hasher = await createKeccak(256)
  type Item = Uint8Array | Item[]
  const keccak = (data: Uint8Array) => hasher.init().update(data).digest('binary')
  const word = (bytes: Item) => {
    if (!(bytes instanceof Uint8Array) || bytes.length > 32) throw new RangeError('not a 32-byte word')
    return Buffer.concat([Buffer.alloc(32 - bytes.length), bytes])
  }
  const number = (bytes: Item) => BigInt(`0x${word(bytes).toString('hex')}`)
  const unpadded = (n: bigint) => (n === 0n ? new Uint8Array() : Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0'), 'hex'))

  /** As ethereumjs signs: typed, the envelope type and the fields before (yParity, r, s); legacy, EIP-155's. */
  const signed = (raw: Uint8Array): { msgHash: Uint8Array; fields: Item[]; recovery: bigint } => {
    if (raw[0] <= 0x7f) {
      const fields = RLP.decode(raw.subarray(1)) as Item[]
      const unsigned = RLP.encode(fields.slice(0, -3))
      return { msgHash: keccak(Buffer.concat([raw.subarray(0, 1), unsigned])), fields, recovery: number(fields[fields.length - 3]) }
    }
    const fields = RLP.decode(raw) as Item[]
    const v = number(fields[6])
    if (v < 35n) return { msgHash: keccak(RLP.encode(fields.slice(0, 6))), fields, recovery: v - 27n }
    const chainId = (v - 35n) / 2n
    return { msgHash: keccak(RLP.encode([...fields.slice(0, 6), unpadded(chainId), new Uint8Array(), new Uint8Array()])), fields, recovery: v - 35n - 2n * chainId }
  }

  const recover = (raw: Uint8Array): [string, Uint8Array] | null => {
    try {
      const { msgHash, fields, recovery } = signed(raw)
      if (recovery !== 0n && recovery !== 1n) return null
      const signature = Buffer.concat([word(fields[fields.length - 2]), word(fields[fields.length - 1])])
      const publicKey = secp.ecdsaRecover(signature, Number(recovery), msgHash, false)
      return [Buffer.concat([msgHash, signature]).toString('hex') + recovery, publicKey]
    } catch {
      return null
    }
  }

  const post = (message: WorkerMessage) => parentPort!.postMessage(message)
  parentPort!.on('message', ({ id, raws }: { id: number; raws: Uint8Array[] }) => post({ id, recoveries: raws.map(recover) }))
  post({ ready: true })
}

/**
 * The worker's source text, for `new Worker(source, { eval: true })`. Transpilers that keep function names
 * (tsx, esbuild's keepNames) wrap functions in a `__name` helper of the module: the worker gets its own.
 */
export const recoveryWorkerSource = `var __name = (fn) => fn;\n(${recoveryWorkerMain.toString()})(require)`
