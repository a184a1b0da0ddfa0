/** Regenerates each precompile's abi.ts and abi.json from its I*.sol: `npx tsx precompiles/scripts/generateAbis.ts`. */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { INTERFACES, PRECOMPILES_DIR, abiModule, compileInterfaceAbi } from './solidity.ts'

for (const { folder, name, source } of INTERFACES) {
  const abi = compileInterfaceAbi(source, name)
  writeFileSync(path.join(PRECOMPILES_DIR, folder, 'abi.ts'), abiModule(name, abi))
  writeFileSync(path.join(PRECOMPILES_DIR, folder, 'abi.json'), `${JSON.stringify(abi, null, 2)}\n`)
  console.log(`${folder}: ${abi.length} ABI items`)
}
