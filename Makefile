# Initium — the two commands of the README's quick start are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/initium
PEERS ?= Benchmarks/peers

.PHONY: demo test build bench deps models peer-deps clean

deps:
	@scripts/install-system-deps

# The pretrained all-MiniLM-L6-v2 the tokenizer and checkpoint tests read (nothing when installed).
models: deps
	@scripts/install-models

peer-deps:
	@scripts/install-system-deps --peers || echo "note: could not install python3-torch; peer benchmarks will be skipped" >&2

build: deps
	$(SWIFT) build -c release --product initium

# The main job: a side-by-side comparison of initializations on Fashion-MNIST.
demo: build
	scripts/demo

# Then the files `init --out` writes are read back in NumPy (scripts/check_written_files.py).
test: deps models
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	/usr/bin/python3 scripts/check_written_files.py .build/debug/initium

# Throughput against PyTorch on this machine (needs python3-torch for the peer columns).
bench: build peer-deps
	/usr/bin/env python3 Benchmarks/compare_peers.py --initium $(RELEASE_BIN) --peers $(PEERS) --markdown BENCHMARKS.md

clean:
	rm -rf .build
