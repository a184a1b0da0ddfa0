/**
 * CPU time a node under test spends, from /proc (Linux): anvil and Hardhat run under a launcher process
 * (node_modules/.bin), so a node's time is that of its process and of every process below it.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Linux reports utime and stime in clock ticks of USER_HZ, 100 a second on every mainstream kernel. */
const MS_PER_TICK = 10

interface ProcStat {
  ppid: number
  cpuMs: number
}

/** ppid and user + system time of one process (all its threads); undefined if it has exited. */
function procStat(pid: number): ProcStat | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK }
}

/** Milliseconds of CPU (user + system) that process `pid` and all its descendants have used so far. */
export function treeCpuMs(pid: number): number {
  const stats = new Map<number, ProcStat>()
  for (const entry of readdirSync('/proc')) {
    const p = Number(entry)
    const stat = Number.isInteger(p) ? procStat(p) : undefined
    if (stat) stats.set(p, stat)
  }
  if (!stats.has(pid)) throw new Error(`no process ${pid} in /proc`)
  let total = 0
  const pending = [pid]
  for (let p = pending.pop(); p !== undefined; p = pending.pop()) {
    total += stats.get(p)!.cpuMs
    for (const [child, stat] of stats) if (stat.ppid === p) pending.push(child)
  }
  return total
}
