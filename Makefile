# vigil — build, run, test, bench, install.
#
#   make                      build build/vigil
#   make run                  install what is missing, build, create var/demo.db, serve
#   make test                 every suite, then again under ASan+UBSan; ends "N passed, N failed"
#   make bench                benchmarks (bench/), printed as ratios to a same-run reference;
#                             make soak: a 60 s soak under a mixed load (bench/soak, bench/mix.lua)
#   make valgrind             the HTTP suites with the server under valgrind (VALGRIND_SUITES=...)
#   make install              PREFIX=/usr/local DESTDIR=
#   make SANITIZER=address    (or undefined, or address,undefined) builds under build/san-*/
#   make format               clang-format every C file

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZER ?=

.DEFAULT_GOAL := all

PKGS := libmicrohttpd sqlite3 jansson libsodium inih libpq cairo pangocairo librsvg-2.0 xlsxwriter

comma := ,
ifeq ($(origin BUILD),undefined)
ifeq ($(SANITIZER),)
BUILD := build
else
BUILD := build/san-$(subst $(comma),-,$(SANITIZER))
endif
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith
OPT  := -O2 -g
ifneq ($(SANITIZER),)
OPT  := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZER) -fno-sanitize-recover=all
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# pkg-config flags are written once to $(BUILD)/config.mk; making it first
# installs any missing Debian package (scripts/install-deps is idempotent).
-include $(BUILD)/config.mk
$(BUILD)/config.mk: Makefile scripts/install-deps
	@mkdir -p $(BUILD)
	@pkg-config --exists $(PKGS) && test -f /usr/include/csv.h && test -f /usr/include/cmocka.h \
	    && command -v wrk >/dev/null && command -v msgfmt >/dev/null \
	    && command -v pdftotext >/dev/null && command -v unzip >/dev/null || scripts/install-deps
	@echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))" > $@.tmp
	@echo "PKG_LIBS := $$(pkg-config --libs $(PKGS)) -lcsv -lpthread -lm" >> $@.tmp
	@mv $@.tmp $@

CFLAGS_ALL  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(OPT) \
              -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) -DVIGIL_VERSION='"$(VERSION)"' $(CFLAGS)
LDFLAGS_ALL = $(OPT) $(LDFLAGS)

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -path src/main.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o \
            $(BUILD)/obj/gen/assets.o
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
HTTP_SRC := $(sort $(wildcard tests/http/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HTTP_BIN := $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/http/%)
TEST_SUPPORT := $(BUILD)/obj/tests/http/harness.o

.PHONY: all run test test-suites bench soak valgrind install uninstall format check-format clean tests demo pot test-browser \
        fuzz fuzz-build fuzz-bins

all: $(BUILD)/vigil

$(BUILD)/obj/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql
	@mkdir -p $(dir $@)
	sh scripts/embed-sql $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# UI strings: po/LANG.po -> $(BUILD)/locale/LANG/LC_MESSAGES/vigil.mo (msgfmt
# checks formats), then compiled into the binary with static/ (docs/i18n.md).
PO_LANGS     := zh_Hant pt en
MO_FILES     := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/vigil.mo)
STATIC_FILES := $(sort $(wildcard static/*))

$(BUILD)/locale/%/LC_MESSAGES/vigil.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

$(BUILD)/gen/assets.c: $(STATIC_FILES) $(MO_FILES) scripts/embed-files
	@mkdir -p $(dir $@)
	sh scripts/embed-files $(foreach f,$(STATIC_FILES),$(f)=$(f)) \
	    $(foreach l,$(PO_LANGS),locale/$(l).mo=$(BUILD)/locale/$(l)/LC_MESSAGES/vigil.mo) \
	    > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# po/vigil.pot from the marked strings (T, N_) and the HTCDS labels; then
# msgmerge each po/LANG.po. Run after changing UI strings.
pot:
	sh scripts/update-pot

$(BUILD)/libvigil.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vigil: $(BUILD)/obj/src/main.o $(BUILD)/libvigil.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libvigil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -Itests -o $@ $< $(BUILD)/libvigil.a $(PKG_LIBS) \
	    $(TEST_LIBS) -lcmocka

# test_pack reads the XLSX it renders back with libxml2; only the test links it.
$(BUILD)/tests/unit/test_pack: TEST_CFLAGS = $(shell pkg-config --cflags libxml-2.0)
$(BUILD)/tests/unit/test_pack: TEST_LIBS = $(shell pkg-config --libs libxml-2.0)

$(BUILD)/obj/tests/http/harness.o: tests/http/harness.c tests/http/harness.h $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -c $< -o $@

$(BUILD)/tests/http/%: tests/http/%.c $(TEST_SUPPORT) $(BUILD)/libvigil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(TEST_SUPPORT) $(BUILD)/libvigil.a $(PKG_LIBS) \
	    -lcmocka -lcurl

tests: $(BUILD)/vigil $(UNIT_BIN) $(HTTP_BIN)

# The browser tests alone (headless Chromium; screenshots in build/screenshots).
test-browser: $(BUILD)/vigil
	@VIGIL_BIN=$(BUILD)/vigil sh tests/browser/run

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- the two commands ------------------------------------------------------

DEMO_DB ?= var/demo.db
LISTEN  ?= 127.0.0.1:8080

run: $(BUILD)/vigil
	@mkdir -p var
	@if [ ! -f $(DEMO_DB) ]; then $(BUILD)/vigil demo --db $(DEMO_DB); fi
	@$(BUILD)/vigil demo --db $(DEMO_DB) --accounts
	$(BUILD)/vigil serve --db $(DEMO_DB) --listen $(LISTEN)

# Every suite on the normal build, then on an ASan+UBSan build; the runner
# prints one closing line "N passed, N failed" for everything.
test:
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory SANITIZER=address,undefined tests
	@sh tests/run

# ---- fuzzing (tests/fuzz, libFuzzer) ---------------------------------------
# The library is rebuilt with clang under build/fuzz with fuzzer-no-link plus
# ASan+UBSan; each tests/fuzz/fuzz_NAME.c links against it with -fsanitize=fuzzer.
#   make fuzz                 each harness FUZZ_SECONDS (default 60) from tests/fuzz/corpus/NAME
#                             (read only; new inputs kept in build/fuzz/corpus/NAME)
#   make fuzz-build           the harnesses only (build/fuzz/fuzz_NAME)
#   sh tests/fuzz/run         a brief run of each (and its regressions), cmocka-like summary
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SAN := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	    OPT='$(FUZZ_SAN) -fsanitize=fuzzer-no-link,address,undefined' fuzz-bins

fuzz-bins: $(FUZZ_BIN)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) build/fuzz/libvigil.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $<"
	@$(CC) $(subst fuzzer-no-link,fuzzer,$(CFLAGS_ALL)) -o $@ $< build/fuzz/libvigil.a $(PKG_LIBS)

fuzz: fuzz-build
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' sh tests/fuzz/run --long

# ---- the rest --------------------------------------------------------------

# bench/run builds what it needs with these rules, in its BUILD (default build).
$(BUILD)/bench/gen-cases: bench/gen-cases.c $(BUILD)/libvigil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libvigil.a $(PKG_LIBS)

$(BUILD)/bench/ref-server: bench/ref-server.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(PKG_LIBS)

bench: $(BUILD)/vigil $(BUILD)/bench/gen-cases $(BUILD)/bench/ref-server
	@BUILD='$(BUILD)' MAKE='$(MAKE)' sh bench/run

# The HTTP suites with the server under valgrind; fails on any memcheck error
# or definite leak (tests/valgrind). VALGRIND_SUITES="test_cases test_auth" picks some.
VALGRIND_SUITES ?=
valgrind: tests
	@sh tests/valgrind $(BUILD) $(VALGRIND_SUITES)

# A soak under a mixed load (logins, lists, gets, versioned patches, notes):
# zero socket errors, zero 5xx, server RSS growth < 10%. Not part of make test.
soak: $(BUILD)/vigil
	@BUILD='$(BUILD)' sh bench/soak

install: $(BUILD)/vigil
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/vigil $(DESTDIR)$(PREFIX)/bin/vigil
	install -m 0644 docs/vigil.1 $(DESTDIR)$(PREFIX)/share/man/man1/vigil.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vigil $(DESTDIR)$(PREFIX)/share/man/man1/vigil.1

C_FILES = $(shell find src tests bench -name '*.[ch]' 2>/dev/null)

format:
	clang-format -i $(C_FILES)

check-format:
	clang-format --dry-run --Werror $(C_FILES)

clean:
	rm -rf build
