import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { treeCpuMs } from '../../../bench/load/processCpu.ts'

/** CPU the grandchild burns before it idles: far more than starting node costs either process. */
const BURN_MS = 600

/** A launcher (as node_modules/.bin/anvil is) whose child burns BURN_MS of CPU, says so with its pid, then both idle. */
const launcher = `
const { spawn } = require('node:child_process')
const burn = 'const end = Date.now() + ${BURN_MS}; while (Date.now() < end); console.log("burnt " + process.pid); setInterval(() => {}, 1000)'
spawn(process.execPath, ['-e', burn], { stdio: ['ignore', 'inherit', 'inherit'] })
setInterval(() => {}, 1000)
`

describe('treeCpuMs', () => {
  it("counts the CPU of a process's descendants, not only its own", async () => {
    const parent = spawn(process.execPath, ['-e', launcher], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const childPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.on('data', (chunk: Buffer) => {
          const match = /burnt (\d+)/.exec(chunk.toString())
          if (match) resolve(Number(match[1]))
        })
        parent.on('exit', (code) => reject(new Error(`launcher exited with ${code}`)))
      })
      const child = treeCpuMs(childPid)
      const tree = treeCpuMs(parent.pid!)
      expect(child).toBeGreaterThanOrEqual(BURN_MS * 0.8)
      // The launcher itself only started node and idled: the tree's figure is mostly its child's.
      expect(tree).toBeGreaterThanOrEqual(child)
      expect(tree - child).toBeLessThan(BURN_MS / 2)
    } finally {
      process.kill(-parent.pid!, 'SIGKILL')
    }
  }, 20_000)

  it('refuses a pid that is not running', () => {
    expect(() => treeCpuMs(2 ** 22 + 1)).toThrow(/no process/)
  })
})
