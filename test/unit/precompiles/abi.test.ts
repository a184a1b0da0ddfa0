import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { INTERFACES, PRECOMPILES_DIR, abiModule, compileInterfaceAbi } from '../../../precompiles/scripts/solidity.ts'

describe('the committed ABIs', () => {
  it.each(INTERFACES)('$name: abi.ts and abi.json are what solc makes of the .sol', ({ folder, name, source }) => {
    const abi = compileInterfaceAbi(source, name)
    expect(readFileSync(path.join(PRECOMPILES_DIR, folder, 'abi.ts'), 'utf8')).toBe(abiModule(name, abi))
    expect(JSON.parse(readFileSync(path.join(PRECOMPILES_DIR, folder, 'abi.json'), 'utf8'))).toEqual(abi)
  })
})
