// autocannon's verifyBody for bench/load/cannon.ts, loaded by each of its worker threads (which cannot
// take a function): true when the JSON-RPC answer's result is the one expected, which the benchmark
// puts in the environment before the workers start.
module.exports = (body) => {
  try {
    return JSON.parse(body).result === process.env.BENCH_EXPECTED_RESULT
  } catch {
    return false
  }
}
