# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: run test build vet clean-data

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

build:
	go build -o bin/aduan ./cmd/aduan

vet:
	gofmt -l . | (! grep .) && go vet ./...

# Forget the dev server's history and the demo tokens (PostgreSQL data stays).
clean-data:
	rm -rf .data
