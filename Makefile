# Kodex: the two commands of the README, and a few more.
#
#   make run      install what is missing, build, open the demo workspace
#   make test     install what is missing, build, run every suite (and again
#                 under AddressSanitizer + UBSan)
#   make test-long   the long safety runs of SAFETY.md
#   make bench    the benchmarks, side by side with their comparisons
#   make install PREFIX=/usr/local

BUILDDIR    ?= _build
ASANDIR     ?= _build-asan
INSTALLDIR  ?= _build-install
PREFIX      ?= /usr/local
RUNPREFIX   := $(CURDIR)/_install
MESON_TEST  := meson test --print-errorlogs --num-processes 2

export MESON_TESTTHREADS ?= 2

.PHONY: all deps build run test test-asan test-long bench install clean

all: build

deps:
	@./build-aux/install-deps

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) --prefix=$(RUNPREFIX)

build: deps $(BUILDDIR)/build.ninja
	meson compile -C $(BUILDDIR)

# Runs the app as installed (into ./_install), so that help, icons,
# translations and settings are found the way they are on a user's machine.
run: build
	@meson install -C $(BUILDDIR) --quiet >/dev/null
	@demo="$${XDG_DATA_HOME:-$$HOME/.local/share}/kodex/Demo.kodex"; \
	 lang=de; case "$${LANGUAGE:-$${LC_ALL:-$${LC_MESSAGES:-$${LANG:-}}}}" in de*|"") ;; *) lang=en; demo="$${demo%.kodex}-en.kodex";; esac; \
	 mkdir -p "$$(dirname "$$demo")"; \
	 [ -f "$$demo" ] || $(RUNPREFIX)/bin/kodex-cli demo "$$demo" --language $$lang; \
	 echo "Opening $$demo"; \
	 XDG_DATA_DIRS="$(RUNPREFIX)/share:$${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" \
	 GSETTINGS_SCHEMA_DIR="$(RUNPREFIX)/share/glib-2.0/schemas" \
	 $(RUNPREFIX)/bin/kodex "$$demo"

test: build
	$(MESON_TEST) -C $(BUILDDIR) --no-suite long
	$(MAKE) test-asan

# make test keeps under 20 minutes on two cores: its sanitizer pass leaves out
# what the first pass has run and a sanitizer adds little to — the safety
# suite (killed processes, full disks, locks between processes) and the
# GUI tests marked 'asan-skip' (the German runs of the window and the
# import dialog, the editor's keystroke timing, and the walk through the
# AI-systems register, whose views system-page and system-sections take
# through the sanitizers). `make test-asan ASAN_SKIP=` runs them all.
ASAN_SKIP   ?= --no-suite safety --no-suite asan-skip

test-asan: deps
	@[ -f $(ASANDIR)/build.ninja ] || \
	  meson setup $(ASANDIR) --prefix=$(RUNPREFIX) -Db_sanitize=address,undefined -Db_lundef=false
	meson compile -C $(ASANDIR)
	$(MESON_TEST) -C $(ASANDIR) --setup asan --no-suite long --no-suite data --no-suite help \
	  $(ASAN_SKIP)

test-long: build
	$(MESON_TEST) -C $(BUILDDIR) --suite long

bench: build
	meson test -C $(BUILDDIR) --benchmark --verbose

install: deps
	@[ -f $(INSTALLDIR)/build.ninja ] || meson setup $(INSTALLDIR) --prefix=$(PREFIX) --buildtype=release
	meson configure $(INSTALLDIR) -Dprefix=$(PREFIX)
	meson install -C $(INSTALLDIR)

clean:
	rm -rf $(BUILDDIR) $(ASANDIR) $(INSTALLDIR) _install
