# HAKit — build, test, install, benchmark.
#   make            release build (static Swift runtime: installed binaries need no Swift toolchain)
#   make test       install missing Debian packages, build, run every test (needs root: namespaces)
#   make install    PREFIX=/usr DESTDIR= PROVIDER=hakit OCF_ROOT=/usr/lib/ocf UNITDIR=/lib/systemd/system
#                   (agents, ocf-run, ocf-conformance, heartbeat-lite and heartbeat-lite.service;
#                   cl_status, hb_standby, hb_takeover in HBCOMPATDIR, default LIBDIR/bin; man pages
#                   in MANDIR, bash completion in COMPLETIONDIR)
#   make uninstall  remove what install put there
#   make bench      whole-process medians next to the stock agents, failover times next to
#                   heartbeat 3.0.6 and keepalived, and Pacemaker's own exec-times (bench-pacemaker)
#   make bench-pacemaker  execd's exec-time of start/stop/monitor, ours and the stock agents, in one
#                   real two-node cluster (PCMK_BENCH_CYCLES moves, 10)
#   make conformance  the ocf-conformance/ case files on our agents and the stock ones, side by side
#   make docs       regenerate the agent pages in agents/ from the declarations
#   make man        the man pages, from the declarations, into .build/man (MAN_OUT): ocf_hakit_TYPE(7)
#                   per agent, heartbeat-lite(8), cl_status(8), ocf-run(8), ocf-conformance(8); make
#                   install puts them, gzipped, in MANDIR
#   make completion  the bash completion of each tool, from the declarations of its help, into
#                   .build/completion (COMPLETION_OUT); make install puts it in COMPLETIONDIR
#   make deb        the Debian package of the release build, .build/deb/hakit_VERSION_ARCH.deb (DEB_OUT),
#                   with dpkg-shlibdeps, dpkg-gencontrol and dpkg-deb, then lintian (scripts/deb)
#   make deb-test   make deb, then install it with apt-get into a private root (mount namespace and
#                   overlays), check it, remove and purge it, and check that nothing is left
#   make deb-smoke  the same test on a package of the debug build (make test runs it)
#   make demo       a real two-node failover in network namespaces (heartbeat-lite, apache2, a polling client)
#   make soak       SOAK_CYCLES (1000) random failovers on the demo topology, checking the one-owner
#                   invariant at every stable point; SOAK_SEED repeats a run (make test runs 6)
#   make timer-soak two release heartbeat-lite nodes at keepalive 2ms/deadtime 10ms, realtime on:
#                   TIMER_SOAK_IDLE (600) s idle, then TIMER_SOAK_LOADED (600) s with a CPU hog on each
#                   core; fails on any late heartbeat, dead declaration or group move (scripts/timer-soak)
#   make flood      100,000 hostile packets at line rate against a release heartbeat-lite: no late
#                   heartbeat, memory flat (HAKIT_FLOOD_PACKETS sets each of its two halves; make
#                   test runs it with the default 50,000)
#   make fuzz       libFuzzer on every parser of outside input, FUZZ_SECONDS (600) per target,
#                   FUZZ_JOBS (1) at a time; TARGETS=wire picks (scripts/fuzz list names them)
#   make fuzz-smoke builds every fuzz target and runs each for 5 s; fails on any crash (make test runs it)

PREFIX   ?= /usr
DESTDIR  ?=
PROVIDER ?= hakit
OCF_ROOT ?= /usr/lib/ocf
LIBDIR   ?= $(PREFIX)/lib/hakit
SBINDIR  ?= $(PREFIX)/sbin
# heartbeat's command names (cl_status, hb_standby, hb_takeover), links to heartbeat-lite: kept out
# of heartbeat's own /usr/bin and /usr/share/heartbeat so that Debian's heartbeat package can stay
# installed; put HBCOMPATDIR in PATH to type them from habit.
HBCOMPATDIR ?= $(LIBDIR)/bin
HBCOMPAT  = cl_status hb_standby hb_takeover
UNITDIR  ?= /lib/systemd/system
MANDIR   ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SWIFT    ?= swift

# Every agent action is a fresh process, so start-up cost decides the speed of a monitor. The
# release build links the Swift runtime, libstdc++ and libgcc statically and is not
# position-independent: only libc, libm and libmnl are left for the dynamic loader, which halves
# start-up (a trivial Swift program here: 2.2 ms with the default static-stdlib link, 1.1 ms so).
# The directory holding only libstdc++.a comes first in the search path, so that the runtime's own
# -lstdc++ picks the archive.
STATIC_LIBS   = $(CURDIR)/.build/static-libstdc++
RELEASE_FLAGS = -c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -L$(STATIC_LIBS) \
                -Xswiftc -Xclang-linker -Xswiftc -static-libgcc -Xswiftc -Xclang-linker -Xswiftc -no-pie
RELEASE_BIN   = .build/release
DEBUG_BIN     = .build/debug
TOOLS         = ocf-run ocf-conformance heartbeat-lite

# Debian packages the build and the tests need (the tests compare against the stock agents).
# systemd and dbus: the systemd class tests boot a private systemd (with its own dbus-daemon) in namespaces.
# openssl: the reference the HMAC tests compare heartbeat-lite's own HMAC-MD5/SHA1 with.
# crmsh and pcs: heartbeat-lite export's crmsh and pcs output is loaded with them (offline, into CIB files).
# pacemaker and corosync: PacemakerClusterTests run real two-node clusters, configured with crmsh and pcs.
# heartbeat: the mixed-cluster tests run a real heartbeat 3.0.6 node next to heartbeat-lite.
# promtool checks `status --prometheus`: only the binary, unpacked from Debian's prometheus package
# into .build/promtool (apt-get download, dpkg-deb -x), since installing the package would start a
# Prometheus server on the host.
# man-db and groff-base: ManualPageTests run man --warnings and lexgrog on the generated pages.
# dpkg-dev and lintian: make deb builds the package with dpkg-shlibdeps and dpkg-gencontrol and
# checks it with lintian; make deb-smoke installs it with apt-get into a private root.
DEB_PACKAGES = libmnl-dev libsystemd-dev libcurl4-openssl-dev pkg-config patchelf iproute2 libxml2-utils \
               resource-agents pacemaker-cli-utils hyperfine tcpdump iputils-ping curl apache2 systemd dbus \
               openssl pacemaker corosync crmsh pcs heartbeat socat python3 man-db groff-base dpkg-dev lintian
# make demo runs a real apache2 on each node.
DEMO_PACKAGES = iproute2 apache2

.PHONY: man man-files completion completion-files deb deb-test deb-smoke all build deps-build deps-demo deps-fuzz test soak timer-soak flood fuzz fuzz-smoke deps install install-files uninstall bench bench-pacemaker conformance docs demo clean

all: build

# SwiftPM gives every executable a RUNPATH of $$ORIGIN; hakit-agent needs none (the runtime is
# static, libmnl is a system library), and without it the loader stops probing a dozen hwcaps
# directories next to the binary at every agent action.
build: deps-build $(STATIC_LIBS)/libstdc++.a
	$(SWIFT) build $(RELEASE_FLAGS)
	patchelf --remove-rpath $(RELEASE_BIN)/hakit-agent

$(STATIC_LIBS)/libstdc++.a:
	mkdir -p $(STATIC_LIBS)
	ln -sf "$$(gcc -print-file-name=libstdc++.a)" $@

deps-build:
	@scripts/ensure-packages libmnl-dev libsystemd-dev libcurl4-openssl-dev pkg-config patchelf

PROMTOOL = .build/promtool/usr/bin/promtool
deps: $(PROMTOOL)
	@scripts/ensure-packages $(DEB_PACKAGES)

$(PROMTOOL):
	rm -rf .build/promtool-deb && mkdir -p .build/promtool-deb
	cd $(CURDIR)/.build/promtool-deb && { apt-get download -qq prometheus 2>/dev/null || \
		{ apt-get update -qq && apt-get download -qq prometheus; }; }
	dpkg-deb -x .build/promtool-deb/prometheus_*.deb .build/promtool
	test -x $@

deps-demo:
	@scripts/ensure-packages $(DEMO_PACKAGES)

# scripts/fuzz reads the package's targets with jq.
deps-fuzz: deps-build
	@scripts/ensure-packages jq

test: deps
	$(SWIFT) build --build-tests
	HAKIT_BIN=$(CURDIR)/$(DEBUG_BIN) HAKIT_PROMTOOL=$(CURDIR)/$(PROMTOOL) $(SWIFT) test --skip-build
	$(MAKE) fuzz-smoke
	$(MAKE) flood
	$(MAKE) deb-smoke

# The soak is the SoakTests suite with many cycles; it prints cycles, violations, the failover-time
# distribution and the slopes of the survivor's descriptors, memory and the nodes' processes.
SOAK_CYCLES ?= 1000
SOAK_SEED   ?=
soak: deps
	$(SWIFT) build --build-tests
	HAKIT_BIN=$(CURDIR)/$(DEBUG_BIN) HAKIT_SOAK_CYCLES=$(SOAK_CYCLES) HAKIT_SOAK_SEED=$(SOAK_SEED) \
		$(SWIFT) test --skip-build --filter SoakTests

# The timer soak prints, per phase, what both nodes logged, the hog's CPU use and the wake-up
# latency a plain realtime python3 thread saw next to the daemons (what the machine itself allows).
TIMER_SOAK_IDLE   ?= 600
TIMER_SOAK_LOADED ?= 600
timer-soak: build
	@scripts/ensure-packages python3 util-linux
	TIMER_SOAK_IDLE=$(TIMER_SOAK_IDLE) TIMER_SOAK_LOADED=$(TIMER_SOAK_LOADED) scripts/timer-soak $(RELEASE_BIN)

FLOOD_BIN = .build/flood-bin
flood: deps
	$(SWIFT) build --build-tests
	$(SWIFT) build -c release --product heartbeat-lite
	mkdir -p $(FLOOD_BIN)
	for f in $(DEBUG_BIN)/*; do [ -f "$$f" ] && [ -x "$$f" ] && ln -sf $(CURDIR)/$$f $(FLOOD_BIN)/; done; true
	ln -sf $(CURDIR)/$(RELEASE_BIN)/heartbeat-lite $(FLOOD_BIN)/heartbeat-lite
	HAKIT_FLOOD=1 HAKIT_BIN=$(CURDIR)/$(FLOOD_BIN) $(SWIFT) test --skip-build --filter HostileTrafficTests

# Each target prints execs, coverage (libFuzzer's cov and ft) and crashes; a crash, timeout or
# out-of-memory fails the run and leaves its input in .build-fuzz/artifacts/TARGET (scripts/fuzz).
FUZZ_SECONDS ?= 600
FUZZ_JOBS    ?= 1
TARGETS      ?=
fuzz: deps-fuzz
	SWIFT=$(SWIFT) scripts/fuzz run -j $(FUZZ_JOBS) $(FUZZ_SECONDS) $(TARGETS)

fuzz-smoke: deps-fuzz
	SWIFT=$(SWIFT) scripts/fuzz run -j 2 5 $(TARGETS)

install: build install-files

# Installs already-built binaries from $(BIN) (the tests install their debug build this way).
# Each agent is a relative link to the one hakit-agent binary, so a DESTDIR tree works as it is.
BIN ?= $(RELEASE_BIN)
install-files:
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(OCF_ROOT)/resource.d/$(PROVIDER)
	install -m 0755 $(BIN)/hakit-agent $(DESTDIR)$(LIBDIR)/hakit-agent
	for agent in $$($(BIN)/hakit-agent --list); do \
		ln -sfr $(DESTDIR)$(LIBDIR)/hakit-agent $(DESTDIR)$(OCF_ROOT)/resource.d/$(PROVIDER)/$$agent || exit 1; \
	done
	for tool in $(TOOLS); do install -m 0755 $(BIN)/$$tool $(DESTDIR)$(SBINDIR)/$$tool || exit 1; done
	install -d $(DESTDIR)$(HBCOMPATDIR)
	for name in $(HBCOMPAT); do ln -sfr $(DESTDIR)$(SBINDIR)/heartbeat-lite $(DESTDIR)$(HBCOMPATDIR)/$$name || exit 1; done
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' dist/heartbeat-lite.service > $(DESTDIR)$(UNITDIR)/heartbeat-lite.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/heartbeat-lite.service
	install -d $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	pages=$$(mktemp -d) && $(MAKE) -s man-files BIN=$(BIN) MAN_OUT=$$pages && \
	for page in $$pages/*.[78]; do \
		section=$${page##*.}; gzip -9n < $$page > $(DESTDIR)$(MANDIR)/man$$section/$${page##*/}.gz || exit 1; \
		chmod 0644 $(DESTDIR)$(MANDIR)/man$$section/$${page##*/}.gz || exit 1; \
	done; status=$$?; rm -rf $$pages; exit $$status
	install -d $(DESTDIR)$(COMPLETIONDIR)
	scripts=$$(mktemp -d) && $(MAKE) -s completion-files BIN=$(BIN) COMPLETION_OUT=$$scripts && \
	install -m 0644 $$scripts/* $(DESTDIR)$(COMPLETIONDIR)/; status=$$?; rm -rf $$scripts; exit $$status

uninstall:
	for agent in $$(ls $(DESTDIR)$(OCF_ROOT)/resource.d/$(PROVIDER) 2>/dev/null); do \
		link=$(DESTDIR)$(OCF_ROOT)/resource.d/$(PROVIDER)/$$agent; \
		[ "$$(readlink -f $$link)" = "$$(readlink -f $(DESTDIR)$(LIBDIR)/hakit-agent)" ] && rm -f $$link; \
	done; true
	-rmdir $(DESTDIR)$(OCF_ROOT)/resource.d/$(PROVIDER)
	rm -f $(DESTDIR)$(LIBDIR)/hakit-agent
	for name in $(HBCOMPAT); do rm -f $(DESTDIR)$(HBCOMPATDIR)/$$name; done
	-rmdir $(DESTDIR)$(HBCOMPATDIR)
	-rmdir $(DESTDIR)$(LIBDIR)
	for tool in $(TOOLS); do rm -f $(DESTDIR)$(SBINDIR)/$$tool; done
	rm -f $(DESTDIR)$(UNITDIR)/heartbeat-lite.service
	rm -f $(DESTDIR)$(MANDIR)/man7/ocf_$(PROVIDER)_*.7.gz
	for page in heartbeat-lite cl_status ocf-run ocf-conformance; do rm -f $(DESTDIR)$(MANDIR)/man8/$$page.8.gz; done
	for name in $(TOOLS) $(HBCOMPAT); do rm -f $(DESTDIR)$(COMPLETIONDIR)/$$name; done

# bench-failover: 20 hard failovers per system and scenario next to heartbeat 3.0.6 and keepalived
# (installed from Debian when missing), then a 10-minute idle watch: BENCH_IDLE_MINUTES=1 shortens it.
# The bench scripts compute medians with python3; bench-failover installs its references itself.
bench: deps build
	@scripts/ensure-packages python3
	scripts/bench $(RELEASE_BIN)
	scripts/bench-apache $(RELEASE_BIN)
	scripts/bench-failover $(RELEASE_BIN)
	$(MAKE) bench-pacemaker

# The PacemakerBenchTests suite (debug test build) with the release agents installed into the
# cluster's nodes; prints medians and the ratio stock/ours.
PCMK_BENCH_CYCLES ?= 10
bench-pacemaker: deps build
	$(SWIFT) build --build-tests
	HAKIT_PCMK_BENCH=1 HAKIT_PCMK_BENCH_CYCLES=$(PCMK_BENCH_CYCLES) HAKIT_BIN=$(CURDIR)/$(RELEASE_BIN) \
		$(SWIFT) test --skip-build --filter PacemakerBenchTests

conformance: deps
	$(SWIFT) build
	scripts/conformance $(DEBUG_BIN)

# The man pages of the tools in $(BIN), generated from the same declarations as their help and
# meta-data (checked with man --warnings and lexgrog by ManualPageTests).
MAN_OUT ?= $(CURDIR)/.build/man
man: build
	$(MAKE) man-files BIN=$(RELEASE_BIN)

man-files:
	rm -rf $(MAN_OUT) && mkdir -p $(MAN_OUT)
	for agent in $$($(BIN)/hakit-agent --list); do \
		$(BIN)/hakit-agent --man $$agent > $(MAN_OUT)/ocf_hakit_$$agent.7 || exit 1; \
	done
	$(BIN)/heartbeat-lite --generate-manual > $(MAN_OUT)/heartbeat-lite.8
	$(BIN)/heartbeat-lite --generate-manual cl_status > $(MAN_OUT)/cl_status.8
	$(BIN)/ocf-run --generate-manual > $(MAN_OUT)/ocf-run.8
	$(BIN)/ocf-conformance --generate-manual > $(MAN_OUT)/ocf-conformance.8

# The bash completion of each tool in $(BIN), from the declarations of its help: ocf-run's and
# ocf-conformance's from swift-argument-parser, heartbeat-lite's and those of heartbeat's command
# names from heartbeat-lite's own (checked in bash by BashCompletionTests). A completion is sourced,
# not run: swift-argument-parser's #!/bin/bash line goes.
COMPLETION_OUT ?= $(CURDIR)/.build/completion
completion: build
	$(MAKE) completion-files BIN=$(RELEASE_BIN)

completion-files:
	rm -rf $(COMPLETION_OUT) && mkdir -p $(COMPLETION_OUT)
	for tool in $(TOOLS); do \
		$(BIN)/$$tool --generate-completion-script bash > $(COMPLETION_OUT)/$$tool || exit 1; \
		sed -i '1{/^#!/d}' $(COMPLETION_OUT)/$$tool || exit 1; \
	done
	for name in $(HBCOMPAT); do \
		$(BIN)/heartbeat-lite --generate-completion-script bash $$name > $(COMPLETION_OUT)/$$name || exit 1; \
	done

# The Debian package (scripts/deb): the tree make install-files installs, stripped, with its
# Depends from dpkg-shlibdeps, maintainer scripts that never enable or start heartbeat-lite, and
# lintian at the end (each remaining tag is overridden in dist/debian/lintian-overrides, with why).
DEB_OUT ?= $(CURDIR)/.build/deb
deb: build
	@scripts/ensure-packages dpkg-dev lintian
	scripts/deb build $(RELEASE_BIN) $(DEB_OUT)
	lintian --fail-on error,warning,info --tag-display-limit 0 $(DEB_OUT)/hakit_*.deb

deb-test: deb
	scripts/deb test $(DEB_OUT)/hakit_*.deb

# The same install, check, remove and purge on a package of the debug build, which runs only where
# the Swift toolchain is (its runtime is not linked in): the quick check make test runs.
deb-smoke:
	@scripts/ensure-packages dpkg-dev
	$(SWIFT) build
	DEB_DEBUG=1 scripts/deb build $(DEBUG_BIN) .build/deb-debug
	scripts/deb test .build/deb-debug/hakit_*.deb

docs:
	$(SWIFT) build --product hakit-agent
	for agent in $$($(DEBUG_BIN)/hakit-agent --list); do \
		$(DEBUG_BIN)/hakit-agent --doc $$agent > agents/$$agent.md || exit 1; \
	done

# Builds what is missing, then runs node1, node2, a switch and a client in namespaces of its own
# (scripts/demo says how); removes them, and everything it started, when it ends.
demo: deps-demo build
	scripts/demo $(RELEASE_BIN)

clean:
	rm -rf .build
