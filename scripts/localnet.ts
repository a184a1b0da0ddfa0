/**
 * `npm run localnet`: four validators and a full node, each an `olnode run` process on 127.0.0.1, on
 * the files of scripts/localnetFiles.ts (made on the first run, reused after, so the chain carries on).
 * Ctrl-C stops them all cleanly. `--init-only` writes the files and exits (the Docker setup uses it).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bootnodes, FULL_NODE, prepareLocalnet, runArgs, type Localnet, type NodePorts } from './localnetFiles.ts'

const USAGE = `Usage: npm run localnet -- [--dir DIR] [--init-only [--docker]]

  --dir DIR      where the genesis, keys, datadirs and logs are (default .olnode/localnet);
                 reused if it exists, so a restart keeps the chain
  --init-only    write the files (and DIR/bootnodes.txt) and exit
  --docker       with --init-only: bootnodes.txt names the docker-compose services`

/** The olnode command as users run it: its shebang caps the V8 heap (README, "Memory"). */
const OLNODE = fileURLToPath(new URL('../bin/olnode.js', import.meta.url))
const HOST = '127.0.0.1'
/** Node i listens on these plus i (the full node is the last one). */
const BASE_PORTS = { p2p: 30303, rpc: 8545, metrics: 6060 }
/** In Docker every node has its own address, so all use the base ports. */
const dockerAddress = (i: number) => `/dns4/validator-${i}/tcp/${BASE_PORTS.p2p}`
const START_TIMEOUT_MS = 60_000

interface Running {
  name: string
  proc: ChildProcess
  /** Resolves once the node prints "Listening on"; rejects if it exits first or takes too long. */
  ready: Promise<void>
  exited: Promise<number | null>
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: { dir: { type: 'string', default: '.olnode/localnet' }, 'init-only': { type: 'boolean', default: false }, docker: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  })
  if (flags.help) {
    console.log(USAGE)
    return 0
  }
  if (flags.docker && !flags['init-only']) throw new UsageError('--docker goes with --init-only')
  const dir = path.resolve(flags.dir!)
  const { localnet, created } = await prepareLocalnet(dir)
  console.log(`${created ? 'Created' : 'Reusing'} the localnet in ${dir}: validators ${localnet.validators.map((v) => v.address).join(', ')}`)
  const list = bootnodes(localnet, flags.docker ? dockerAddress : (i) => `/ip4/${HOST}/tcp/${portsOf(i).p2p}`)
  await writeFile(path.join(dir, 'bootnodes.txt'), `${list}\n`)
  if (flags['init-only']) return 0
  return runLocalnet(localnet, list)
}

function portsOf(index: number): NodePorts {
  return { host: HOST, p2p: BASE_PORTS.p2p + index, rpc: BASE_PORTS.rpc + index, metrics: BASE_PORTS.metrics + index }
}

/** Starts every node, prints where to reach them, and stops them all on Ctrl-C or when one dies. */
async function runLocalnet(localnet: Localnet, list: string): Promise<number> {
  const signalled = untilSignal()
  const nodes = [...localnet.validators, undefined]
  const logs = path.join(localnet.dir, 'logs')
  await mkdir(logs, { recursive: true })
  const running = nodes.map((v, i) => startNode(v?.name ?? FULL_NODE, runArgs(localnet, v, portsOf(i), list), logs))
  const stopAll = () => Promise.all(running.map((r) => (r.proc.kill('SIGTERM'), r.exited)))
  process.once('exit', () => running.forEach((r) => r.proc.kill('SIGKILL')))
  try {
    const interrupted = await Promise.race([Promise.all(running.map((r) => r.ready)).then(() => undefined), signalled])
    if (interrupted) {
      console.log(`Stopping the localnet (${interrupted} while starting)`)
      await stopAll()
      return 1
    }
  } catch (err) {
    await stopAll()
    throw err
  }
  nodes.forEach((v, i) => {
    const { rpc, metrics } = portsOf(i)
    console.log(`  ${(v?.name ?? FULL_NODE).padEnd(12)} ${(v?.address ?? 'full node').padEnd(42)}  RPC http://${HOST}:${rpc}  metrics http://${HOST}:${metrics}/metrics`)
  })
  console.log(`Chain ID 1337, the ten dev accounts funded (mnemonic "test test test test test test test test test test test junk").`)
  console.log(`Logs in ${logs}. Ctrl-C stops the localnet.`)
  const reason = await Promise.race([signalled, ...running.map(async (r) => `${r.name} exited with ${await r.exited}`)])
  console.log(`Stopping the localnet (${reason})`)
  const codes = await stopAll()
  return reason.startsWith('signal') && codes.every((c) => c === 0) ? 0 : 1
}

/** Spawns `olnode run` in its own process group (Ctrl-C reaches only us; we stop it with one SIGTERM), logging to a file. */
function startNode(name: string, args: string[], logDir: string): Running {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' })
  const proc = spawn(OLNODE, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  proc.stdout!.pipe(log)
  proc.stderr!.pipe(log)
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  let out = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms (see ${log.path})`)), START_TIMEOUT_MS)
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Listening on')) resolve(clearTimeout(timer))
    })
    proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before it started:\n${lastLines(out)}`)))
  })
  return { name, proc, ready, exited }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n')
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('signal SIGINT'))
    process.once('SIGTERM', () => resolve('signal SIGTERM'))
  })
}

class UsageError extends Error {}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`localnet: ${err.message}`)
    process.exit(err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1)
  },
)
