-- wrk reporter: one JSON line with what the benchmark table needs.
-- Each request carries what every browser sends: the pages may come compressed.
wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors_status": %d, "errors_socket": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
