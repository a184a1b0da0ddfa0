import { RLP } from '@ethereumjs/rlp'
import { hexToBytes } from '@ethereumjs/util'
for (const h of ['0xf86c0a', '0xc0', '0x80', '0xc101', '0xc0c0', '0xb801', '0x8100']) {
  try { const d = RLP.decode(hexToBytes(h as `0x${string}`), true); console.log(h, d) } catch (e) { console.log(h, 'ERR', (e as Error).message) }
}
