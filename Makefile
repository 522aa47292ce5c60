# herokudrain: OpenTelemetry Collector components for Heroku Logplex HTTPS
# drains, and the otelcol-heroku distribution built with ocb.
#
#   make tools            install pinned ocb and mdatagen into .tools/bin
#   make generate         run mdatagen for every component with a metadata.yaml
#   make check-generated  fail when generated files are out of date
#   make build            build dist/otelcol-heroku (only when inputs changed)
#   make run              build, then run it with testdata/collector/default.yaml
#   make demo             build, start it, post the sample drain, show what came out, stop it
#   make test             generated files current, vet, unit tests (-race) with coverage, short fuzz runs, e2e tests
#   make test-adversarial hostile input and bad backends against the binary (~8 min)
#   make test-replicas    two collectors behind nginx: exactly-once, cost of a killed replica
#   make image            container image with buildah (make test-image builds and checks it)
#   make dashboards       regenerate the Grafana dashboards (dashboards/json) and docs/panel-map.md
#   make test-e2e         dashboards against real Prometheus + VictoriaLogs (installs them when missing)
#   make fuzz             long fuzz runs (FUZZTIME=5m per target)
#   make bench            side-by-side benchmarks and end-to-end tables (scripts/bench.sh)
#   make soak             steady load for SOAK_DURATION (10m), fails when RSS grows
#   make clean            remove dist/ (make distclean also removes .tools/)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

# Build with the Go installed here, never a downloaded toolchain (go.mod's
# go line is met by Go 1.26.8).
export GOTOOLCHAIN := local

GO ?= go
TOOLS_BIN := $(CURDIR)/.tools/bin
OCB := $(TOOLS_BIN)/builder
MDATAGEN := $(TOOLS_BIN)/mdatagen
OCB_VERSION := v0.165.0

DIST_DIR := dist
DIST_BIN := $(DIST_DIR)/otelcol-heroku
BUILDER_CONFIG := builder-config.yaml
CONFIG ?= testdata/collector/default.yaml
IMAGE_TAG ?= localhost/otelcol-heroku:dev

# Unit tests run with the race detector; RACE= turns it off.
RACE ?= -race
# Unit tests write a coverprofile; scripts/coverage.sh prints it per package
# and fails when the components (receiver/, processor/) are under COVERAGE_MIN.
COVERPROFILE ?= coverage.out
COVERAGE_MIN ?= 90
# Per-target fuzz time: short in `make test`, long in `make fuzz`.
SHORT_FUZZTIME ?= 5s
FUZZTIME ?= 5m
UNIT_TIMEOUT ?= 10m
E2E_TIMEOUT ?= 15m
E2E_FLAGS ?=

# Inputs of the binary: the non-test Go sources of the root module and the
# component metadata, outside dist/, .tools/, the tools module and the
# test-only packages. Test files do not end up in the binary.
GO_SOURCES := $(shell find . \( -path ./dist -o -path ./.tools -o -path ./.git -o -path ./internal/tools -o -path ./bench -o -path ./dashboards \
	-o -path ./e2e -o -path ./receiver/herokudrainreceiver/logplextest -o -name testdata \) -prune -o \
	\( -name '*.go' ! -name '*_test.go' -o -name metadata.yaml \) -print)

# Directories holding a component metadata.yaml (for mdatagen).
METADATA_DIRS = $(sort $(patsubst %/,%,$(dir $(shell find . \( -path ./dist -o -path ./.tools -o -path ./.git \) -prune -o -name metadata.yaml -print))))

.PHONY: tools generate check-generated build run demo test vet unit fuzz-short e2e test-adversarial test-replicas image test-image fuzz bench clean distclean \
	dashboards check-dashboards test-e2e backends soak

## tools: install the pinned ocb and mdatagen into .tools/bin when missing
tools: $(OCB) $(MDATAGEN)

$(OCB):
	GOBIN=$(TOOLS_BIN) $(GO) install go.opentelemetry.io/collector/cmd/builder@$(OCB_VERSION)

# mdatagen v0.159.0 comes from the separate tools module (internal/tools),
# so its dependencies never mix with the collector v0.165.0 ones.
$(MDATAGEN):
	cd internal/tools && $(GO) build -o $(MDATAGEN) go.opentelemetry.io/collector/cmd/mdatagen

## generate: run mdatagen in each component directory with a metadata.yaml
generate: $(MDATAGEN)
	@for d in $(METADATA_DIRS); do \
		echo "mdatagen $$d/metadata.yaml"; \
		(cd $$d && $(MDATAGEN) metadata.yaml); \
	done

## check-generated: re-run mdatagen and fail when that changes or adds
## generated files (generated_*.go, documentation.md, internal/metadata*)
GENERATED_PATHS = $(foreach d,$(METADATA_DIRS),$(d)/generated_* $(d)/documentation.md $(d)/internal/metadata $(d)/internal/metadatatest)

check-generated: generate
	@status="$$(git status --porcelain -- $(GENERATED_PATHS))"; \
	if [ -n "$$status" ]; then \
		echo "generated files are out of date; run 'make generate' and commit:"; \
		echo "$$status"; git --no-pager diff --stat -- $(GENERATED_PATHS); exit 1; \
	fi; echo "generated files are up to date"

## build: ocb -> dist/otelcol-heroku, only when its inputs changed. The strict
## version check is on: every component must resolve to the version pinned in
## builder-config.yaml.
build: $(DIST_BIN)

$(DIST_BIN): $(BUILDER_CONFIG) go.mod go.sum $(GO_SOURCES) | $(OCB)
	$(OCB) --config $(BUILDER_CONFIG) --skip-strict-versioning=false
	@touch $@

## run: build, then run the distribution with the default config
run: $(DIST_BIN)
	$(DIST_BIN) --config $(CONFIG)

## demo: build if needed, start the collector with the default config, post
## testdata/drains/sample.logplex, show what came out, stop the collector.
## Absolute paths: `make -C /path/to/herokudrain demo` works from anywhere.
demo: $(DIST_BIN)
	$(CURDIR)/scripts/demo.sh $(CURDIR)/$(DIST_BIN) $(abspath $(CONFIG)) $(CURDIR)/testdata/drains/sample.logplex

## test: generated files current, vet, unit tests, short fuzz runs of every
## fuzz target, e2e tests
test: check-generated check-dashboards vet unit fuzz-short e2e

vet:
	$(GO) vet ./...

# Every package but e2e (which needs the binary), then the coverage report.
unit:
	$(GO) test $(RACE) -timeout $(UNIT_TIMEOUT) -coverprofile=$(COVERPROFILE) $$($(GO) list ./... | grep -v '/e2e$$')
	scripts/coverage.sh $(COVERPROFILE) $(COVERAGE_MIN)

fuzz-short:
	FUZZTIME=$(SHORT_FUZZTIME) GO=$(GO) scripts/fuzz.sh $(SHORT_FUZZTIME)

e2e: $(DIST_BIN)
	OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) $(GO) test -count=1 -timeout $(E2E_TIMEOUT) $(E2E_FLAGS) ./e2e/...

## test-adversarial: slowloris, gzip bomb, huge body and headers, Frame-Id
## flood, invalid UTF-8, dead and slow backends, SIGTERM under load, SIGKILL
## with the durable config: against the built binary running the shipped
## configs, loopback only, each probe bounded in time and asserting its
## bound (e2e/adversarial_test.go, build tag adversarial)
test-adversarial: $(DIST_BIN)
	OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) $(GO) test -tags adversarial -count=1 -timeout 20m -v \
		-run 'TestAdversarial' ./e2e/ 2>&1 | grep -E '^(=== RUN|--- |PASS|FAIL|ok)|_test\.go:[0-9]+:'

## test-replicas: two collectors behind nginx (hash on Logplex-Frame-Id) and a
## retrying Logplex client: exactly-once while both live, cost of a killed
## replica (docs/replicas.md). Installs Debian's nginx-light when missing.
test-replicas: $(DIST_BIN)
	HEROKUDRAIN_REPLICAS=1 OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) $(GO) test -count=1 -v -timeout 5m -run TestReplicasBehindNginx ./e2e/

## image: container image localhost/otelcol-heroku:dev with buildah, from
## scratch (static binaries, no registry): deploy/container/Containerfile
image: $(DIST_BIN)
	GO=$(GO) scripts/image.sh $(IMAGE_TAG)

## test-image: build the image in a private buildah store and check it
## (non-root, health check, files; runs its binaries on loopback)
test-image: $(DIST_BIN)
	HEROKUDRAIN_IMAGE=1 OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) $(GO) test -count=1 -v -timeout 10m -run TestContainerImage ./e2e/

## dashboards: regenerate dashboards/json/*.json and docs/panel-map.md. The
## generator is its own Go module (dashboards/go.mod), so the product module
## never depends on the Grafana SDK.
dashboards:
	cd dashboards && $(GO) run . -out json -doc ../docs/panel-map.md

## check-dashboards: vet and test the generator; its tests fail when the
## committed JSON or panel map is stale, or when the JSON does not read back
## strictly through the SDK's types. Also vets the build-tagged backends
## test, which plain `go vet ./...` skips.
check-dashboards:
	cd dashboards && $(GO) vet ./... && $(GO) test -count=1 ./...
	$(GO) vet -tags backends ./e2e/

## test-e2e: the dashboards against real backends, then the replicas behind
## nginx and the container image. Installs what is missing: Debian's
## prometheus, nginx-light and buildah (apt-get) and VictoriaLogs (go install into
## .tools/bin), builds the collector, then runs the build-tagged backends
## test in e2e/, which starts both backends and two collectors on loopback
## and stops them all when it ends.
VICTORIALOGS_VERSION := v1.52.1
VICTORIALOGS := $(TOOLS_BIN)/victoria-logs
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
E2E_BACKENDS_TIMEOUT ?= 15m

backends: $(VICTORIALOGS)
	@missing=""; \
	command -v prometheus >/dev/null || missing="$$missing prometheus"; \
	command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	command -v buildah >/dev/null || missing="$$missing buildah"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian's$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing </dev/null || \
		{ $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing </dev/null; }; \
	fi

$(VICTORIALOGS):
	GOBIN=$(TOOLS_BIN) $(GO) install github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$(VICTORIALOGS_VERSION)

test-e2e: $(DIST_BIN) backends
	OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) PROMETHEUS_BIN=$$(command -v prometheus) \
	VICTORIALOGS_BIN=$(VICTORIALOGS) \
	$(GO) test -tags backends -count=1 -timeout $(E2E_BACKENDS_TIMEOUT) -run 'TestDashboardsOnRealBackends' -v ./e2e/
	$(MAKE) --no-print-directory test-replicas test-image

## fuzz: long runs of every fuzz target
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

## bench: framing vs heroku/x and go-syslog, translation per line, end to end
## (binary vs HTTP floor) and scaling, with ratios against same-run baselines
## (scripts/bench.sh; raw outputs in bench/out/)
bench: $(DIST_BIN)
	GO=$(GO) OTELCOL_HEROKU_BIN=$(CURDIR)/$(DIST_BIN) scripts/bench.sh

## soak: steady load on the binary for SOAK_DURATION, printing lines/s and RSS
## every SOAK_SAMPLE; fails when RSS after warm-up grows by more than
## SOAK_RSS_TOLERANCE (a fraction). Not part of make test.
SOAK_DURATION ?= 10m
# Empty: drainload picks duration/30 (2-10 s) and duration/5.
SOAK_SAMPLE ?=
SOAK_WARMUP ?=
SOAK_RATE ?= 40000
SOAK_RSS_TOLERANCE ?= 0.20
# The Frame-Id cache grows by design for one TTL (default 10m, 100,000
# entries); a 1m TTL lets it reach its steady size during the warm-up.
SOAK_DEDUPE_TTL ?= 1m
soak: $(DIST_BIN)
	cd bench && $(GO) run ./cmd/drainload -soak -bin $(CURDIR)/$(DIST_BIN) -targets collector -conns 8 -tokens 100 \
		-duration $(SOAK_DURATION) $(if $(SOAK_SAMPLE),-sample $(SOAK_SAMPLE)) $(if $(SOAK_WARMUP),-warmup $(SOAK_WARMUP)) \
		-rate $(SOAK_RATE) -rss-tolerance $(SOAK_RSS_TOLERANCE) -dedupe-ttl $(SOAK_DEDUPE_TTL)

clean:
	rm -rf $(DIST_DIR)

distclean: clean
	rm -rf .tools
