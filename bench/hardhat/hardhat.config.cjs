// Hardhat's node as the benchmark runs it (bench/nodeCommand.ts): chain 1337 like the others; a workload
// that wants interval mining or a larger block gas limit passes them through the environment.
const intervalMs = Number(process.env.BENCH_HARDHAT_INTERVAL_MS || 0)
module.exports = {
  networks: {
    hardhat: {
      chainId: 1337,
      blockGasLimit: Number(process.env.BENCH_HARDHAT_GAS_LIMIT || 30_000_000),
      mining: intervalMs > 0 ? { auto: false, interval: intervalMs } : { auto: true },
    },
  },
}
