/**
 * Contracts of the debug_trace* tests: Inner/Outer (solc-js) for call trees with value, STATICCALL,
 * DELEGATECALL, CREATE/CREATE2, SELFDESTRUCT, logs and an inner revert caught or not; and a hand-assembled
 * contract whose every opcode, gas cost and stack the struct-log test knows in advance.
 */
import solc from 'solc'
import { Interface } from 'ethers'

export const CALLS_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Inner {
    uint256 public x;
    event Ping(uint256 indexed v, address from);

    function ping(uint256 v) external payable returns (uint256) {
        x = v;
        emit Ping(v, msg.sender);
        return v + 1;
    }

    function boom(uint256 v) external pure {
        require(v == 0, "inner says no");
    }

    function peek() external view returns (uint256) {
        return x;
    }

    function die(address payable to) external {
        selfdestruct(to);
    }
}

contract Outer {
    uint256 public x;
    Inner public inner;
    event Before(uint256 n);
    event After(bool ok);

    constructor(Inner i) {
        inner = i;
    }

    function run(uint256 v) external payable returns (uint256) {
        emit Before(v);
        uint256 r = inner.ping{value: msg.value}(v);
        uint256 p = inner.peek();
        bool ok;
        try inner.boom(v) {
            ok = true;
        } catch {
            ok = false;
        }
        emit After(ok);
        return r + p;
    }

    function runUncaught(uint256 v) external {
        emit Before(v);
        inner.ping(v);
        inner.boom(v);
    }

    function make(bytes32 salt) external returns (address a, address b) {
        a = address(new Inner());
        b = address(new Inner{salt: salt}());
    }

    function kill() external {
        inner.die(payable(msg.sender));
    }

    function delegate(uint256 v) external returns (uint256) {
        (bool ok, bytes memory out) = address(inner).delegatecall(abi.encodeCall(Inner.ping, (v)));
        require(ok);
        return abi.decode(out, (uint256));
    }
}
`

export interface CallsContracts {
  innerBytecode: string
  innerRuntime: string
  outerBytecode: string
  outerRuntime: string
}

let cache: CallsContracts | undefined

export function compileCalls(): CallsContracts {
  if (cache) return cache
  const input = {
    language: 'Solidity',
    sources: { 'Calls.sol': { content: CALLS_SOURCE } },
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input)))
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length > 0) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  const c = output.contracts['Calls.sol']
  cache = {
    innerBytecode: `0x${c.Inner.evm.bytecode.object}`,
    innerRuntime: `0x${c.Inner.evm.deployedBytecode.object}`,
    outerBytecode: `0x${c.Outer.evm.bytecode.object}`,
    outerRuntime: `0x${c.Outer.evm.deployedBytecode.object}`,
  }
  return cache
}

export const inner = new Interface([
  'function ping(uint256 v) payable returns (uint256)',
  'function boom(uint256 v) pure',
  'function peek() view returns (uint256)',
  'function die(address to)',
  'event Ping(uint256 indexed v, address from)',
])

export const outer = new Interface([
  'constructor(address i)',
  'function run(uint256 v) payable returns (uint256)',
  'function runUncaught(uint256 v)',
  'function make(bytes32 salt) returns (address a, address b)',
  'function delegate(uint256 v) returns (uint256)',
  'function kill()',
  'event Before(uint256 n)',
  'event After(bool ok)',
])

/**
 * Runtime code whose trace is known opcode by opcode: stores 0x2a at slot 0 (a cold, zero slot:
 * 22,100 gas), reads it back (warm: 100), writes it to memory word 0 (3 + 3 for one new word) and
 * returns that word.
 */
export const STORE_RETURN_RUNTIME = '0x602a60005560005460005260206000f3'

/** Creation code that returns STORE_RETURN_RUNTIME (16 bytes) as the deployed code. */
export function storeReturnDeployData(): string {
  // PUSH1 16, DUP1, PUSH1 11 (offset of the runtime), PUSH1 0, CODECOPY, PUSH1 0, RETURN; then the runtime.
  return `0x601080600b6000396000f3${STORE_RETURN_RUNTIME.slice(2)}`
}
