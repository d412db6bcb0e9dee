"""`make bench`: the suite's throughput and latency, each against a raw baseline measured in the
same run on the same local Kafka broker and PostgreSQL server (see README, "Benchmarks")."""
