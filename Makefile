# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: run test cluster chaos build vet bench soak clean-data

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# The production profile on this machine: Temporal server on PostgreSQL, Temporal UI,
# two workers and two APIs behind nginx (docs/DEPLOY.md). The first run builds the server.
cluster:
	@bash scripts/cluster.sh

# The long fault tests (kills, restarts, PostgreSQL down; ADUAN_CHAOS=1), about 2 minutes on 2 cores.
chaos:
	@bash scripts/chaos.sh

# Measure the whole system on a stack of its own; writes docs/PERFORMANCE.md. Sizes: BENCH_FLAGS="--scale 2000".
bench:
	@bash scripts/bench.sh $(BENCH_FLAGS)

# 30 minutes of mixed traffic with a worker kill and a Temporal restart; rewrites the Soak section of docs/PERFORMANCE.md.
soak:
	@bash scripts/soak.sh $(SOAK_FLAGS)

build:
	go build -o bin/aduan ./cmd/aduan

vet:
	gofmt -l . | (! grep .) && go vet ./...

# Forget the demo: the dev server's history, the demo tokens and the database of DATABASE_URL.
clean-data:
	@bash scripts/clean-data.sh
