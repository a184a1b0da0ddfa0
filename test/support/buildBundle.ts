import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** vitest globalSetup: end-to-end tests run the CLI bundle, so build it from the current sources first. */
export default function buildBundle(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
}
